package io.cdcmesh.runtime.cli;

import io.cdcmesh.runtime.embedded.EmbeddedPipeline;
import io.cdcmesh.runtime.embedded.SinkHost;
import io.cdcmesh.runtime.embedded.SourceJdbc;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * A one-line progress display on the terminal, refreshed every second; silent when not attached to one. While the
 * snapshot runs: rows read per table against the server's estimate of the table's size, the rate and an ETA; then
 * events per second and, per sink, its freshness and lag (records not yet durable).
 */
final class Progress {
    private final EmbeddedPipeline pipeline;
    private final PrintStream out;
    private ScheduledExecutorService timer;
    private long lastCaptured;
    private long lastAt;
    private Map<String, Long> estimates;
    private int width;

    Progress(EmbeddedPipeline pipeline, PrintStream out) {
        this.pipeline = pipeline;
        this.out = out;
    }

    void start() {
        if (out == null) {
            return;
        }
        lastAt = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-mesh-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    private void print() {
        try {
            long now = System.nanoTime();
            long captured = pipeline.captured();
            double rate = (captured - lastCaptured) * 1e9 / Math.max(1, now - lastAt);
            lastCaptured = captured;
            lastAt = now;
            String line = snapshotRunning() ? snapshotLine(pipeline.snapshotRows(), rate) : streamingLine(rate);
            out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
            width = line.length();
            out.flush();
        } catch (RuntimeException e) {
            // the display must never disturb the pipeline
        }
    }

    private String snapshotLine(Map<String, Long> scanned, double rate) {
        if (estimates == null) {
            estimates = estimateRows();
        }
        StringBuilder line = new StringBuilder("snapshot");
        long remaining = 0;
        for (Map.Entry<String, Long> table : scanned.entrySet()) {
            Long estimate = estimates.get(table.getKey());
            line.append(String.format("  %s %,d", table.getKey(), table.getValue()));
            if (estimate != null && estimate > 0) {
                line.append(String.format("/~%,d", estimate));
                remaining += Math.max(0, estimate - table.getValue());
            }
        }
        for (Map.Entry<String, Long> table : estimates.entrySet()) {
            if (!scanned.containsKey(table.getKey())) {
                remaining += table.getValue();
            }
        }
        line.append(String.format("  | %,.0f rows/s", rate));
        if (rate > 0 && remaining > 0) {
            long eta = (long) (remaining / rate);
            line.append(String.format("  | ETA %d:%02d", eta / 60, eta % 60));
        }
        return line.toString();
    }

    private String streamingLine(double rate) {
        StringBuilder line = new StringBuilder(String.format("streaming %,.0f events/s, %,d committed", rate, pipeline.committed()));
        if (pipeline.sourceDeadLettered() > 0) {
            line.append(String.format(", %,d set aside (dead letters)", pipeline.sourceDeadLettered()));
        }
        for (SinkHost sink : pipeline.sinks()) {
            long lag = sink.queued() + Math.max(0, sink.delivered() - sink.acknowledged());
            double fresh = metric(sink.name(), "FreshnessP50Ms");
            line.append(String.format(" | %s: fresh %s, lag %,d", sink.name(),
                    Double.isNaN(fresh) || sink.acknowledged() == 0 ? "-" : String.format("%.1f s", fresh / 1000), lag));
        }
        return line.toString();
    }

    /** Whether Debezium's snapshot runs, from its snapshot metrics MBean. */
    private static boolean snapshotRunning() {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : mbeans.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=snapshot,*"), null)) {
                if (Boolean.TRUE.equals(mbeans.getAttribute(name, "SnapshotRunning"))) {
                    return true;
                }
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }

    private static double metric(String connector, String attribute) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : mbeans.queryNames(new ObjectName("io.cdcmesh:*"), null)) {
                String value = name.getKeyProperty("connector");
                if (value != null && (value.equals(connector) || ObjectName.unquote(value).equals(connector))) {
                    return ((Number) mbeans.getAttribute(name, attribute)).doubleValue();
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /** The server's own row estimates (information_schema) for the captured databases, keyed like Debezium's tables. */
    private Map<String, Long> estimateRows() {
        Map<String, Long> rows = new TreeMap<>();
        Map<String, String> c = pipeline.sourceConfig();
        String host = c.get("database.hostname");
        if (host == null) {
            return rows;
        }
        Pattern include = c.get("database.include.list") == null ? null
                : Pattern.compile(String.join("|", c.get("database.include.list").split("\\s*,\\s*")));
        // With the source's own TLS settings: the password never goes in clear where the user asked for TLS.
        try (Connection connection = SourceJdbc.connect(c, 3000); Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_ROWS FROM information_schema.TABLES"
                        + " WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN"
                        + " ('mysql', 'sys', 'information_schema', 'performance_schema')")) {
            while (rs.next()) {
                if (include == null || include.matcher(rs.getString(1)).matches()) {
                    rows.put(rs.getString(1) + "." + rs.getString(2), rs.getLong(3));
                }
            }
        } catch (Exception e) {
            // no estimates: counts without ETA
        }
        return rows;
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
            out.println();
        }
    }
}
