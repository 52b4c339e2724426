package io.cdcmesh.bench.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.bench.kit.Delays;
import io.cdcmesh.bench.kit.Prober;
import io.cdcmesh.bench.kit.SteadyWriter;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MySqlServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Freshness through {@code cdc-mesh run} at a steady rate (one multi-row INSERT every 10 ms): from each INSERT's commit
 * to the first 20 ms probe that counts its rows acknowledged by Elasticsearch (the task's {@code DocumentsIndexed} on
 * the runtime's /metrics), searchable ({@code _count}, default 1 s refresh), and, with the audit, durable in Hive
 * (the audit sink's durable count).
 */
final class FreshnessRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INDEXED = "cdcmesh_elasticsearch_sink_task_documents_indexed{connector=\"search\",task=\"0\"}";
    private static final String DURABLE = "cdcmesh_sink_records_durable_total{sink=\"audit\"}";

    private final MySqlServer mysql;
    private final ElasticsearchServer es;
    private final Path work;

    FreshnessRun(MySqlServer mysql, ElasticsearchServer es, Path work) {
        this.mysql = mysql;
        this.es = es;
        this.work = work;
    }

    /**
     * Runs {@code pipeline}, whose search sink writes {@code db.table} to the index {@code <db>.<table>-fresh}; the
     * table holds one probe row (id 0) and the writer inserts ids from 1.
     */
    List<String> measure(String what, Path pipeline, String db, String table, boolean audit, long rotateMs, int rate,
            int seconds) throws Exception {
        String index = db + "." + table + "-fresh";
        try (RuntimeProcess runtime = RuntimeProcess.start("fresh-" + table, pipeline, work)) {
            Await.until(Duration.ofMinutes(5), "the probe row searchable" + (audit ? " and in the audit" : ""),
                    () -> count(index) >= 1 && (!audit || runtime.metrics().getOrDefault(DURABLE, 0L) >= 1));
            SteadyWriter writer = new SteadyWriter(mysql, db, table, rate, seconds);
            Prober acknowledged = new Prober(() -> runtime.metrics().getOrDefault(INDEXED, 0L));
            Prober searchable = new Prober(() -> count(index));
            Prober audited = new Prober(() -> runtime.metrics().getOrDefault(DURABLE, 0L));
            List<Prober> probers = audit ? List.of(acknowledged, searchable, audited) : List.of(acknowledged, searchable);
            List<Thread> probing = new ArrayList<>();
            for (Prober prober : probers) {
                Thread thread = new Thread(prober, "freshness-prober");
                thread.start();
                probing.add(thread);
            }
            try {
                writer.run();
                for (Prober prober : probers) {
                    // Each prober must itself have counted every row: a count seen here alone may come after its last probe.
                    Await.until(Duration.ofMinutes(3), "every row counted by a prober", () -> prober.last() >= writer.rows() + 1);
                }
            } finally {
                probers.forEach(Prober::stop);
                for (Thread thread : probing) {
                    thread.join();
                }
            }
            double achieved = writer.rows() / ((writer.committedAt(writer.ticks() - 1) - writer.started()) / 1e9);
            int warmUp = Math.min(5, seconds / 3);
            List<String> report = new ArrayList<>();
            report.add(String.format("freshness, %s: %,d rows at %,.0f rows/s achieved (one INSERT of %d rows every 10 ms),"
                    + " first %d s not counted, 20 ms probes", what, writer.rows(), achieved, writer.rowsPerTick(), warmUp));
            // +1: the probe row is counted too.
            report.add("  MySQL commit -> Elasticsearch acknowledged: " + Delays.of(writer, acknowledged, warmUp, 1)
                    + " (target p99 <= 250 ms)");
            report.add("  MySQL commit -> searchable (1 s refresh):    " + Delays.of(writer, searchable, warmUp, 1));
            if (audit) {
                report.add("  MySQL commit -> Hive audit durable:          " + Delays.of(writer, audited, warmUp, 1)
                        + String.format(" (target p99 <= rotate.interval.ms %,d + 1,000 ms)", rotateMs));
            }
            // The runtime's own histograms (source commit timestamp to acknowledged), as JMX and /metrics give them.
            Map<String, Long> metrics = runtime.metrics();
            report.add("  the runtime's own histogram, commit ts -> ES acknowledged:  " + histogram(metrics, "elasticsearch_sink_task", "search"));
            if (audit) {
                report.add("  the runtime's own histogram, commit ts -> audit written:    " + histogram(metrics, "hive_audit_sink_task", "audit"));
            }
            report.add("      " + runtime.heap());
            return report;
        }
    }

    /** "p50 80 ms, p99 190 ms, max 270 ms" from a sink task's freshness attributes on /metrics (since it started). */
    private static String histogram(Map<String, Long> metrics, String type, String connector) {
        String labels = "{connector=\"" + connector + "\",task=\"0\"}";
        return String.format("p50 %d ms, p99 %d ms, max %d ms (since the runtime started)",
                metrics.get("cdcmesh_" + type + "_freshness_p50_ms" + labels), metrics.get("cdcmesh_" + type + "_freshness_p99_ms" + labels),
                metrics.get("cdcmesh_" + type + "_freshness_max_ms" + labels));
    }

    private long count(String index) {
        if (es.status("/" + index) != 200) {
            return 0;
        }
        try {
            return JSON.readTree(es.request("GET", "/" + index + "/_count", null)).path("count").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
