package io.cdcmesh.runtime.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The embedded runtime's HTTP status port, on 127.0.0.1 only: {@code /health} (200 while the pipeline runs, 503 with
 * the failure once it has failed), {@code /metrics} (Prometheus text: the pipeline's counters and every numeric
 * attribute of the sinks' {@code io.cdcmesh} MBeans), {@code /api/status} (JSON, with the last five minutes of
 * throughput and freshness per sink) and {@code /}, a small live page plotting those.
 */
final class StatusServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SAMPLES = 300;

    private final PipelineStatus pipeline;
    private final String sourceName;
    private final HttpServer server;
    private final ScheduledExecutorService sampler;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private final Map<String, Long> lastDurable = new HashMap<>();
    private long lastCaptured;

    private record Sample(long time, double sourceRate, Map<String, double[]> sinks) {}

    StatusServer(PipelineStatus pipeline, String sourceName, int port) throws IOException {
        this.pipeline = pipeline;
        this.sourceName = sourceName;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/health", this::health);
        server.createContext("/metrics", this::metrics);
        server.createContext("/api/status", this::status);
        server.createContext("/", this::page);
        server.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "cdc-mesh-status-http")));
        sampler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "cdc-mesh-status-sampler"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    StatusServer start() {
        server.start();
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
        return this;
    }

    int port() {
        return server.getAddress().getPort();
    }

    private synchronized void sample() {
        long captured = pipeline.captured();
        Map<String, double[]> sinks = new LinkedHashMap<>();
        for (SinkHost sink : pipeline.sinks()) {
            long durable = sink.acknowledged();
            long previous = lastDurable.getOrDefault(sink.name(), durable);
            lastDurable.put(sink.name(), durable);
            // No freshness before the first durable record (the histogram would say 0).
            double freshness = durable == 0 ? Double.NaN : metric(sink.name(), "FreshnessP50Ms");
            sinks.put(sink.name(), new double[] {durable - previous, freshness});
        }
        samples.addLast(new Sample(System.currentTimeMillis(), captured - lastCaptured, sinks));
        lastCaptured = captured;
        while (samples.size() > SAMPLES) {
            samples.removeFirst();
        }
    }

    /** A sink's MBean attribute (any type of task MBean for that connector name), or NaN. */
    private static double metric(String connector, String attribute) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        try {
            for (ObjectName name : mbeans.queryNames(new ObjectName("io.cdcmesh:*"), null)) {
                String value = name.getKeyProperty("connector");
                if (value != null && unquote(value).equals(connector)) {
                    return ((Number) mbeans.getAttribute(name, attribute)).doubleValue();
                }
            }
        } catch (Exception e) {
            return Double.NaN;
        }
        return Double.NaN;
    }

    /**
     * Changes a sink dropped as older than what it holds (Elasticsearch's version conflicts, the audit's events at or
     * below its watermark), or NaN for a sink that keeps no versions.
     */
    private static double staleSkips(String connector) {
        double versionConflicts = metric(connector, "StaleEventsSkipped");
        return Double.isNaN(versionConflicts) ? metric(connector, "DuplicatesSkipped") : versionConflicts;
    }

    private static String unquote(String value) {
        return value.startsWith("\"") ? ObjectName.unquote(value) : value;
    }

    private void health(HttpExchange exchange) throws IOException {
        Throwable failure = pipeline.failure();
        ObjectNode body = JSON.createObjectNode().put("status", failure == null ? "UP" : "DOWN").put("source", sourceName);
        if (failure != null) {
            body.put("failure", failure.toString());
        }
        ObjectNode sinks = body.putObject("sinks");
        pipeline.sinks().forEach(s -> sinks.put(s.name(), s.failure() == null ? "UP" : "DOWN"));
        send(exchange, failure == null ? 200 : 503, "application/json", JSON.writeValueAsBytes(body));
    }

    private void metrics(HttpExchange exchange) throws IOException {
        StringBuilder out = new StringBuilder();
        String source = "source=\"" + escape(sourceName) + "\"";
        family(out, "cdcmesh_source_events_total", "counter", "Events the source connector produced.");
        out.append("cdcmesh_source_events_total{").append(source).append("} ").append(pipeline.captured()).append('\n');
        family(out, "cdcmesh_source_offsets_committed_total", "counter", "Events whose source offset may be committed: every sink made them durable.");
        out.append("cdcmesh_source_offsets_committed_total{").append(source).append("} ").append(pipeline.committed()).append('\n');
        family(out, "cdcmesh_source_records_dead_lettered_total", "counter",
                "Changes the source's transforms set aside to a dead-letter topic or file, with the reason.");
        out.append("cdcmesh_source_records_dead_lettered_total{").append(source).append("} ").append(pipeline.sourceDeadLettered())
                .append('\n');
        family(out, "cdcmesh_up", "gauge", "1 while the pipeline runs, 0 once it failed.");
        out.append("cdcmesh_up{").append(source).append("} ").append(pipeline.failure() == null ? 1 : 0).append('\n');
        Map<String, String> sinkFamilies = new LinkedHashMap<>();
        sinkFamilies.put("cdcmesh_sink_records_delivered_total", "counter:Records handed to the sink task's put().");
        sinkFamilies.put("cdcmesh_sink_records_durable_total", "counter:Records the sink task reported durable in preCommit().");
        sinkFamilies.put("cdcmesh_sink_records_skipped_total", "counter:Records of other topics or dropped by the sink's transforms.");
        sinkFamilies.put("cdcmesh_sink_records_dead_lettered_total", "counter:Records sent to the sink's dead-letter file.");
        sinkFamilies.put("cdcmesh_sink_records_queued", "gauge:Records waiting for the sink.");
        sinkFamilies.forEach((name, typeAndHelp) -> {
            String[] parts = typeAndHelp.split(":", 2);
            family(out, name, parts[0], parts[1]);
            for (SinkHost sink : pipeline.sinks()) {
                long value = switch (name) {
                    case "cdcmesh_sink_records_delivered_total" -> sink.delivered();
                    case "cdcmesh_sink_records_durable_total" -> sink.acknowledged();
                    case "cdcmesh_sink_records_skipped_total" -> sink.skipped();
                    case "cdcmesh_sink_records_dead_lettered_total" -> sink.deadLettered();
                    default -> sink.queued();
                };
                out.append(name).append("{sink=\"").append(escape(sink.name())).append("\"} ").append(value).append('\n');
            }
        });
        taskMetrics(out);
        jvmMetrics(out);
        send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", out.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The runtime's heap: what is in use now, what the last collections left (the live part), and the limit. */
    private static void jvmMetrics(StringBuilder out) {
        long afterGc = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage collected = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
            afterGc += collected == null ? 0 : collected.getUsed();
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        family(out, "cdcmesh_jvm_heap_used_bytes", "gauge", "Heap in use, garbage included.");
        out.append("cdcmesh_jvm_heap_used_bytes ").append(heap.getUsed()).append('\n');
        family(out, "cdcmesh_jvm_heap_after_gc_bytes", "gauge", "Heap the last collection of each pool left in use.");
        out.append("cdcmesh_jvm_heap_after_gc_bytes ").append(afterGc).append('\n');
        family(out, "cdcmesh_jvm_heap_max_bytes", "gauge", "The heap's limit (-Xmx).");
        out.append("cdcmesh_jvm_heap_max_bytes ").append(heap.getMax()).append('\n');
    }

    /** Every numeric attribute of every io.cdcmesh MBean, as cdcmesh_<type>_<attribute>{connector, task}. */
    private static void taskMetrics(StringBuilder out) {
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        Map<String, StringBuilder> families = new TreeMap<>();
        try {
            for (ObjectName name : mbeans.queryNames(new ObjectName("io.cdcmesh:*"), null)) {
                String type = name.getKeyProperty("type");
                if (type == null) {
                    continue;
                }
                String labels = "connector=\"" + escape(unquote(String.valueOf(name.getKeyProperty("connector"))))
                        + "\",task=\"" + escape(unquote(String.valueOf(name.getKeyProperty("task")))) + "\"";
                for (MBeanAttributeInfo attribute : mbeans.getMBeanInfo(name).getAttributes()) {
                    Object value;
                    try {
                        value = mbeans.getAttribute(name, attribute.getName());
                    } catch (Exception e) {
                        continue;
                    }
                    if (value instanceof Number number) {
                        String metric = "cdcmesh_" + snake(type) + "_" + snake(attribute.getName());
                        families.computeIfAbsent(metric, k -> new StringBuilder())
                                .append(metric).append('{').append(labels).append("} ").append(number).append('\n');
                    }
                }
            }
        } catch (Exception e) {
            return;
        }
        families.forEach((metric, lines) -> {
            out.append("# TYPE ").append(metric).append(" gauge\n").append(lines);
        });
    }

    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private synchronized void status(HttpExchange exchange) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("source", sourceName).put("captured", pipeline.captured()).put("committed", pipeline.committed())
                .put("sourceDeadLettered", pipeline.sourceDeadLettered())
                .put("status", pipeline.failure() == null ? "UP" : "DOWN");
        ArrayNode sinks = body.putArray("sinks");
        for (SinkHost sink : pipeline.sinks()) {
            sinks.addObject().put("name", sink.name()).put("delivered", sink.delivered()).put("durable", sink.acknowledged())
                    .put("queued", sink.queued()).put("deadLettered", sink.deadLettered())
                    .put("freshnessP50Ms", metric(sink.name(), "FreshnessP50Ms"))
                    .put("freshnessP99Ms", metric(sink.name(), "FreshnessP99Ms"))
                    .put("staleSkips", staleSkips(sink.name()))
                    .put("positionRegressions", metric(sink.name(), "PositionRegressions"));
        }
        ArrayNode series = body.putArray("series");
        for (Sample sample : samples) {
            ObjectNode point = series.addObject().put("time", sample.time()).put("sourceRate", sample.sourceRate());
            ObjectNode perSink = point.putObject("sinks");
            sample.sinks().forEach((name, values) -> perSink.putObject(name).put("rate", values[0])
                    .put("freshnessP50Ms", Double.isNaN(values[1]) ? null : values[1]));
        }
        send(exchange, 200, "application/json", JSON.writeValueAsBytes(body));
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream in = StatusServer.class.getResourceAsStream("status.html")) {
            send(exchange, 200, "text/html; charset=utf-8", in.readAllBytes());
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        server.stop(0);
    }
}
