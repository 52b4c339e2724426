package io.cdcmesh.bench.embedded;

import io.cdcmesh.bench.kit.BulkCeiling;
import io.cdcmesh.bench.kit.CpuMeter;
import io.cdcmesh.bench.kit.Rows;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code cdc-mesh run}, the default mode, against the ceilings of what it connects, in one run on one machine: a real
 * MySQL 8, Elasticsearch node and HiveServer2.
 *
 * <ol>
 *   <li><b>Snapshot</b> of a table of {@code bench.embedded.rows} rows (eight columns of the usual kinds): (a)
 *       Debezium's embedded engine alone, built as the runtime builds it, into a consumer that only counts (the source
 *       ceiling); (c) {@code cdc-mesh run} as its own process into Elasticsearch; (d) into Elasticsearch and the Hive
 *       audit together; (b) the node's raw bulk rate for the same documents, read back from (c)'s index and sent by
 *       the plain client in batches of 2,000 with five requests in flight, as the sink sends by default (the sink
 *       ceiling, best of two).</li>
 *   <li><b>Burst</b>: {@code bench.embedded.burst} updates written to the binlog while nothing reads it (UPDATEs of
 *       10,000 rows each), then each of (a), (c) and (d) resumes from its own offsets and drains them.</li>
 * </ol>
 * A rate runs from the first change seen to the last one acknowledged: by the counting consumer for (a), by
 * Elasticsearch's bulk answers for (c) ({@code DocumentsIndexed}), and for (d) until both sinks have it (the audit's
 * durable count). Each is printed with the CPU every process used meanwhile and the runtime's heap.
 */
public final class EmbeddedBenchmark {
    private static final String DB = "bench";
    private static final String PREFIX = "bench";
    private static final double TARGET = 0.8;
    private static final long AUDIT_ROTATE_MS = 1_000;
    private static final String ALONE = "(a) Debezium's engine alone, counting consumer (source ceiling)";
    private static final String SEARCH = "(c) cdc-mesh run -> Elasticsearch";
    private static final String BOTH = "(d) cdc-mesh run -> Elasticsearch + Hive audit (rotate.interval.ms " + AUDIT_ROTATE_MS + ")";

    private final MySqlServer mysql;
    private final ElasticsearchServer es;
    private final HiveServer hive;
    private final Path work;

    private EmbeddedBenchmark(MySqlServer mysql, ElasticsearchServer es, HiveServer hive, Path work) {
        this.mysql = mysql;
        this.es = es;
        this.hive = hive;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.embedded.rows", 1_000_000);
        int burst = Math.min(rows, Integer.getInteger("bench.embedded.burst", 200_000));
        int rate = Integer.getInteger("bench.embedded.rate", 5_000);
        int seconds = Integer.getInteger("bench.embedded.seconds", 30);
        try (MySqlServer mysql = MySqlServer.launch(); ElasticsearchServer es = ElasticsearchServer.launch();
                HiveServer hive = HiveServer.launch()) {
            EmbeddedBenchmark bench = new EmbeddedBenchmark(mysql, es, hive, WorkDir.fresh("bench-embedded"));
            mysql.recreateDatabase(DB);
            // rows=0: freshness only (for exploring latency settings).
            List<String> report = rows > 0 ? bench.run(rows, burst) : new ArrayList<>();
            report.addAll(bench.freshness(rate, seconds));
            System.out.println();
            System.out.printf("== cdc-mesh run benchmark (%d cores shared by MySQL, Elasticsearch, HiveServer2 and the runtime) ==%n",
                    Runtime.getRuntime().availableProcessors());
            report.forEach(System.out::println);
        }
        // Debezium's engine leaves non-daemon threads behind; everything this run started is stopped above.
        System.exit(0);
    }

    record Rate(String what, long changes, double perSecond, String cpu, String heap) {
        /** A ceiling's line: its rate and CPU. */
        String line() {
            return String.format("  %s: %,d changes, %,.0f/s%n      CPU: %s", what, changes, perSecond, cpu);
        }

        /** A pipeline's line, against the source and sink ceilings' rates. */
        String line(double source, double sink) {
            // Each ceiling had the machine to itself; sharing it, each at its own cost per change, they reach
            // 1/(1/source + 1/sink): the most a pipeline that added nothing could do on this machine.
            double ceiling = Math.min(source, sink);
            double shared = 1 / (1 / source + 1 / sink);
            return String.format("  %s: %,d changes, %,.0f/s = %.2f of min(source, sink ceiling) %,.0f (target >= %.1f);"
                    + " %.2f of the shared-machine ceiling 1/(1/source + 1/sink) %,.0f%n      CPU: %s%n      %s", what, changes,
                    perSecond, perSecond / ceiling, ceiling, TARGET, perSecond / shared, shared, cpu, heap);
        }
    }

    private List<String> run(int rows, int burst) throws Exception {
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), studio VARCHAR(40), launch_date DATE,"
                + " budget DECIMAL(12,2), runtime_minutes INT, rating DOUBLE, updated_at DATETIME(6))");
        Rows.fillTitles(mysql, DB, rows);
        System.out.printf("[bench] %s.titles holds %,d rows%n", DB, rows);

        DebeziumAlone alone = new DebeziumAlone(source(false), Files.createDirectories(work.resolve("alone")), DB);
        Path searchOnly = RuntimeProcess.writePipeline(work.resolve("search.json"), runtime("search"), source(true),
                Map.of("search", elasticsearch("es")));
        Map<String, Map<String, String>> both = new LinkedHashMap<>();
        both.put("search", elasticsearch("both"));
        both.put("audit", audit());
        Path searchAndAudit = RuntimeProcess.writePipeline(work.resolve("both.json"), runtime("both"), source(true), both);

        Rate sourceSnapshot = alone(alone, rows, ALONE);
        // The node gets faster over its first documents (its JIT): a run of (c) and two of the ceiling, not counted.
        Path warmUp = RuntimeProcess.writePipeline(work.resolve("warm-up.json"), runtime("warm-up"), source(true),
                Map.of("search", elasticsearch("warm-up")));
        runtime(warmUp, rows, false, "warm-up, not counted: " + SEARCH);
        sinkCeiling(DB + ".titles-warm-up");
        es.request("DELETE", "/" + DB + ".titles-warm-up", null);
        Rate searchSnapshot = runtime(searchOnly, rows, false, SEARCH);
        Rate bothSnapshot = runtime(searchAndAudit, rows, true, BOTH);
        Rate sinkCeiling = sinkCeiling(DB + ".titles-es");

        update(burst);
        Rate sourceBurst = alone(alone, burst, ALONE);
        Rate searchBurst = runtime(searchOnly, burst, false, SEARCH);
        Rate bothBurst = runtime(searchAndAudit, burst, true, BOTH);

        List<String> report = new ArrayList<>();
        report.add(String.format("snapshot of %,d rows:", rows));
        report.add(sourceSnapshot.line());
        report.add(sinkCeiling.line());
        report.add(searchSnapshot.line(sourceSnapshot.perSecond(), sinkCeiling.perSecond()));
        report.add(bothSnapshot.line(sourceSnapshot.perSecond(), sinkCeiling.perSecond()));
        report.add(String.format("burst of %,d updates written while nothing read the binlog, then drained:", burst));
        report.add(sourceBurst.line());
        report.add(searchBurst.line(sourceBurst.perSecond(), sinkCeiling.perSecond()));
        report.add(bothBurst.line(sourceBurst.perSecond(), sinkCeiling.perSecond()));
        report.add("  (the sink ceiling is (b) above: fresh documents into a new index; Hive's own ceiling is bench/hive's)");
        return report;
    }

    /** Freshness at a steady rate through {@code cdc-mesh run}: into Elasticsearch alone, then into both sinks. */
    private List<String> freshness(int rate, int seconds) throws Exception {
        List<String> report = new ArrayList<>();
        for (boolean withAudit : List.of(false, true)) {
            String table = withAudit ? "events_both" : "events_es";
            mysql.execute(DB, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(100), studio VARCHAR(40),"
                    + " amount DECIMAL(12,2), updated_at DATETIME(6))", "INSERT INTO " + table + " VALUES (0, 'probe', 'probe', 0, NOW(6))");
            Map<String, String> source = source(true);
            source.put("table.include.list", DB + "." + table);
            Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
            sinks.put("search", elasticsearch("fresh"));
            if (withAudit) {
                sinks.put("audit", audit());
            }
            Path pipeline = RuntimeProcess.writePipeline(work.resolve("fresh-" + table + ".json"), runtime("fresh-" + table), source, sinks);
            report.addAll(new FreshnessRun(mysql, es, work).measure(withAudit ? BOTH : SEARCH, pipeline, DB, table, withAudit,
                    AUDIT_ROTATE_MS, rate, seconds));
        }
        return report;
    }

    /** Starts Debezium alone from its offsets and waits for {@code changes} change records. */
    private Rate alone(DebeziumAlone alone, long changes, String what) throws Exception {
        CpuMeter cpu = new CpuMeter().add("Debezium alone (this JVM)", ProcessHandle.current().pid()).add("MySQL", mysql.pid());
        alone.start();
        CpuMeter.Sample[] window = new CpuMeter.Sample[2];
        Await.until(Duration.ofMinutes(10), "Debezium's first change", () -> {
            if (alone.changes() > 0) {
                window[0] = cpu.sample();
                return true;
            }
            return false;
        });
        Await.until(Duration.ofMinutes(30), changes + " changes from Debezium", () -> alone.changes() >= changes);
        window[1] = cpu.sample();
        long counted = alone.changes();
        double seconds = (alone.lastAt() - alone.firstAt()) / 1e9;
        alone.stop();
        Rate rate = new Rate(what, counted, counted / seconds, CpuMeter.between(window[0], window[1]), null);
        System.out.printf("[bench] %s: %,.0f/s%n", what, rate.perSecond());
        return rate;
    }

    /**
     * Starts {@code cdc-mesh run} on {@code pipeline} and waits until Elasticsearch (and, with {@code audit}, the Hive
     * audit) acknowledged {@code changes} changes; then stops it (SIGTERM) once its offsets are committed.
     */
    private Rate runtime(Path pipeline, long changes, boolean audit, String what) throws Exception {
        String indexed = "cdcmesh_elasticsearch_sink_task_documents_indexed{connector=\"search\",task=\"0\"}";
        String durable = "cdcmesh_sink_records_durable_total{sink=\"audit\"}";
        String committed = "cdcmesh_source_offsets_committed_total{source=\"bench\"}";
        try (RuntimeProcess runtime = RuntimeProcess.start(pipeline.getFileName().toString().replace(".json", ""), pipeline, work)) {
            CpuMeter cpu = new CpuMeter().add("cdc-mesh run", runtime.pid()).add("MySQL", mysql.pid()).add("ES node", es.pid());
            if (audit) {
                cpu.add("HiveServer2", hive.pid());
            }
            CpuMeter.Sample[] window = new CpuMeter.Sample[2];
            long[] first = new long[1];
            Await.until(Duration.ofMinutes(10), "the runtime's first acknowledged change", () -> {
                Map<String, Long> metrics = runtime.metrics();
                if (metrics.getOrDefault(indexed, 0L) > 0 || metrics.getOrDefault(durable, 0L) > 0) {
                    window[0] = cpu.sample();
                    first[0] = System.nanoTime();
                    return true;
                }
                return false;
            });
            Await.until(Duration.ofMinutes(30), changes + " changes acknowledged by " + (audit ? "both sinks" : "Elasticsearch"), () -> {
                Map<String, Long> metrics = runtime.metrics();
                return metrics.getOrDefault(indexed, 0L) >= changes && (!audit || metrics.getOrDefault(durable, 0L) >= changes);
            });
            long done = System.nanoTime();
            window[1] = cpu.sample();
            Map<String, Long> atEnd = runtime.metrics();
            long requests = atEnd.getOrDefault("cdcmesh_elasticsearch_sink_task_bulk_requests{connector=\"search\",task=\"0\"}", 0L);
            String bulk = String.format("; Elasticsearch: %,.0f documents per bulk request", atEnd.getOrDefault(indexed, 0L)
                    / (double) Math.max(1, requests));
            // Before the stop: every change's offset committed, so the next start resumes exactly after them.
            Await.until(Duration.ofMinutes(2), "offsets committed", () -> runtime.metrics().getOrDefault(committed, 0L) >= changes);
            Rate rate = new Rate(what, changes, changes / ((done - first[0]) / 1e9), CpuMeter.between(window[0], window[1]),
                    runtime.heap() + bulk);
            System.out.printf("[bench] %s: %,.0f/s%n", what, rate.perSecond());
            return rate;
        }
    }

    /** The node's raw bulk rate for the documents of {@code index}, best of two. */
    private Rate sinkCeiling(String index) throws Exception {
        BulkCeiling ceiling = BulkCeiling.load(es, index);
        CpuMeter cpu = new CpuMeter().add("ES node", es.pid()).add("client (this JVM)", ProcessHandle.current().pid());
        Rate best = null;
        for (int run = 1; run <= 2; run++) {
            CpuMeter.Sample[] window = new CpuMeter.Sample[2];
            double perSecond = ceiling.run("ceiling-" + run, 2_000, 5, () -> window[0] = cpu.sample(), () -> window[1] = cpu.sample());
            if (best == null || perSecond > best.perSecond()) {
                best = new Rate("(b) Elasticsearch bulk, the plain client (sink ceiling)", ceiling.size(), perSecond,
                        CpuMeter.between(window[0], window[1]), null);
            }
        }
        return best;
    }

    /** {@code changes} row updates in transactions of 10,000, written while no reader is connected. */
    private void update(int changes) throws Exception {
        try (Connection c = mysql.connect(DB); Statement s = c.createStatement()) {
            for (int from = 1; from <= changes; from += 10_000) {
                s.executeUpdate("UPDATE titles SET rating = rating + 1, updated_at = NOW(6) WHERE id BETWEEN " + from + " AND "
                        + Math.min(changes, from + 9_999));
            }
        }
        System.out.printf("[bench] %,d updates written%n", changes);
    }

    // ----------------------------------------------------------------------------------------------- configs

    /** Debezium's MySQL connector on the titles table, with the shipped source's type settings. */
    private Map<String, String> source(boolean normalize) {
        Map<String, String> source = new LinkedHashMap<>(mysql.debeziumConnection());
        source.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        source.put("topic.prefix", PREFIX);
        source.put("database.include.list", DB);
        source.put("table.include.list", DB + ".titles");
        source.put("snapshot.mode", "initial");
        source.put("decimal.handling.mode", "precise");
        source.put("bigint.unsigned.handling.mode", "precise");
        source.put("enable.time.adjuster", "false");
        if (normalize) {
            source.put("transforms", "normalize");
            source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
            source.put("transforms.normalize.temporal.types", "logical");
        }
        return source;
    }

    private Map<String, String> runtime(String name) {
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("data.dir", work.resolve("state-" + name).toString());
        return runtime;
    }

    private Map<String, String> elasticsearch(String indexSuffix) {
        Map<String, String> search = new LinkedHashMap<>();
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("topics.regex", PREFIX + "\\." + DB + "\\..*");
        search.put("connection.url", es.url());
        search.put("index.replicas", "0");
        search.put("index.name.pattern", "${db}.${table}-" + indexSuffix);
        return search;
    }

    private Map<String, String> audit() {
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("connector.class", "io.cdcmesh.sink.hive.HiveAuditSinkConnector");
        audit.put("topics.regex", PREFIX + "\\." + DB + "\\..*");
        audit.put("hive.jdbc.url", hive.jdbcUrl());
        audit.put("hive.database", "bench_audit");
        audit.put("table.location", hive.externalWarehouse().resolveSibling("bench_audit").toUri().toString());
        // The last rows of a run wait for this (a file is written at flush.size, 10,000, or after it): with the
        // default 60 s they would, not the rate, decide when a run ends.
        audit.put("rotate.interval.ms", Long.toString(AUDIT_ROTATE_MS));
        return audit;
    }
}
