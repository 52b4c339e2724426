package io.cdcmesh.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.runtime.cli.Logging;
import io.cdcmesh.runtime.embedded.EmbeddedPipeline;
import io.cdcmesh.runtime.embedded.PipelineFile;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * {@code cdc-mesh demo}: a studio's production database (MariaDB) kept in step with a search index (Elasticsearch)
 * and an audit trail (Hive) by one {@code cdc-mesh run} pipeline in this process, with no Kafka. It plays the story
 * of a launch date moved July, June, July again, whose middle change reaches the index late, and ends with the
 * proof: source rows against index documents against audit rows, and how fresh the sinks were.
 */
public final class Demo {
    static final String DB = "studio";
    static final LocalDate JULY = LocalDate.of(2027, 7, 16);
    static final LocalDate JUNE = LocalDate.of(2027, 6, 18);
    static final int STORY_TITLE = 42;
    private static final List<String> TABLES = List.of("titles", "productions", "budgets");
    private static final String[] BUDGET_LINES = {"cast", "crew", "effects"};
    private static final String[] STATUSES = {"development", "filming", "post", "done"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Map<String, Long>> changes = new TreeMap<>();
    private final long started = System.nanoTime();

    public static void main(String[] args) throws Exception {
        Logging.configure();
        int exit;
        try {
            exit = new Demo().run(System.getProperty("cdcmesh.plugin.path"));
        } catch (Throwable t) {
            System.err.println("demo FAILED: " + t);
            t.printStackTrace();
            exit = 1;
        }
        System.exit(exit);
    }

    int run(String pluginPath) throws Exception {
        say("cdc-mesh demo: MariaDB -> cdc-mesh run (Debezium embedded, no Kafka) -> Elasticsearch and Hive");
        say("working folder: " + WorkDir.root());
        CompletableFuture<ElasticsearchServer> esStarting = CompletableFuture.supplyAsync(ElasticsearchServer::launch);
        CompletableFuture<HiveServer> hiveStarting = CompletableFuture.supplyAsync(HiveServer::launch);
        try (MariaDbServer db = MariaDbServer.launch(); ElasticsearchServer es = esStarting.join(); HiveServer hive = hiveStarting.join()) {
            say("servers up: MariaDB 127.0.0.1:" + db.port() + ", Elasticsearch " + es.url() + ", HiveServer2 " + hive.jdbcUrl());
            seed(db);
            Path pipelineFile = writePipeline(db, es, hive);
            say("pipeline file: " + pipelineFile);
            EmbeddedPipeline pipeline = EmbeddedPipeline.prepare(PipelineFile.read(pipelineFile), pluginPath);
            try {
                pipeline.start();
                Map<String, Long> snapshot = sourceCounts(db);
                say("snapshot: " + snapshot + " rows");
                Await.until(Duration.ofMinutes(3), "the snapshot in Elasticsearch",
                        () -> running(pipeline) && indexCounts(es).equals(snapshot));
                say("snapshot indexed; now a live workload, with the launch-date story in the middle");
                workload(db);
                return prove(db, es, hive, pipeline);
            } finally {
                pipeline.close();
            }
        }
    }

    private void seed(SqlServer db) {
        db.recreateDatabase(DB);
        db.execute(DB,
                "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(200) NOT NULL, genre VARCHAR(40), launch_date DATE,"
                        + " revision INT NOT NULL DEFAULT 0)",
                "CREATE TABLE productions (id INT PRIMARY KEY, title_id INT NOT NULL, studio VARCHAR(100),"
                        + " status ENUM('development','filming','post','done') NOT NULL)",
                "CREATE TABLE budgets (production_id INT, line VARCHAR(40), amount DECIMAL(14,2) NOT NULL,"
                        + " PRIMARY KEY (production_id, line))");
        String[] genres = {"drama", "comedy", "thriller", "documentary", "animation"};
        try (Connection c = db.connect(DB); Statement s = c.createStatement()) {
            for (int id = 1; id <= 60; id++) {
                LocalDate launch = id == STORY_TITLE ? JULY : LocalDate.of(2027, 1 + id % 12, 1 + id % 28);
                s.addBatch("INSERT INTO titles VALUES (" + id + ", '" + (id == STORY_TITLE ? "The Long Night" : "Title " + id)
                        + "', '" + genres[id % genres.length] + "', '" + launch + "', 0)");
                s.addBatch("INSERT INTO productions VALUES (" + id + ", " + id + ", 'Stage " + (1 + id % 4) + "', '"
                        + STATUSES[id % 3] + "')");
                for (int line = 0; line < BUDGET_LINES.length; line++) {
                    s.addBatch("INSERT INTO budgets VALUES (" + id + ", '" + BUDGET_LINES[line] + "', " + (100_000 + id * 1_000L
                            + line * 250L) + ".00)");
                }
            }
            s.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("seeding the studio database failed", e);
        }
    }

    /** About 300 live changes over all three tables, with the launch-date story of title 42 in the middle. */
    private void workload(SqlServer db) throws SQLException {
        Random random = new Random(42);
        int nextId = 61;
        try (Connection c = db.connect(DB); Statement s = c.createStatement()) {
            for (int step = 0; step < 300; step++) {
                if (step == 150) {
                    change(s, "titles", "UPDATE", "UPDATE titles SET launch_date = '" + JUNE + "', revision = revision + 1 WHERE id = "
                            + STORY_TITLE);
                    change(s, "titles", "UPDATE", "UPDATE titles SET launch_date = '" + JULY + "', revision = revision + 1 WHERE id = "
                            + STORY_TITLE);
                    say("title " + STORY_TITLE + " 'The Long Night': launch moved " + JULY + " -> " + JUNE + " -> " + JULY
                            + " (the index gets the June move 3 s late)");
                }
                int roll = random.nextInt(100);
                int production = 1 + random.nextInt(nextId - 1);
                if (roll < 50) {
                    change(s, "budgets", "UPDATE", "UPDATE budgets SET amount = amount + " + (1 + random.nextInt(20_000))
                            + " WHERE production_id = " + production + " AND line = '" + BUDGET_LINES[random.nextInt(3)] + "'");
                } else if (roll < 70) {
                    // Only rows whose value really changes: the driver reports matched rows, the binlog changed ones.
                    String status = STATUSES[random.nextInt(4)];
                    change(s, "productions", "UPDATE", "UPDATE productions SET status = '" + status + "' WHERE id = " + production
                            + " AND status <> '" + status + "'");
                } else if (roll < 85) {
                    int id = nextId++;
                    change(s, "titles", "CREATE", "INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', 'drama', '2028-0"
                            + (1 + id % 9) + "-01', 0)");
                    change(s, "productions", "CREATE", "INSERT INTO productions VALUES (" + id + ", " + id + ", 'Stage 1', 'development')");
                    change(s, "budgets", "CREATE", "INSERT INTO budgets VALUES (" + id + ", 'cast', 50000.00)");
                } else {
                    change(s, "budgets", "DELETE", "DELETE FROM budgets WHERE production_id = " + production + " AND line = '"
                            + BUDGET_LINES[random.nextInt(3)] + "'");
                }
            }
        }
    }

    /** True while the pipeline runs; stops a wait at once if it failed. */
    private static boolean running(EmbeddedPipeline pipeline) {
        if (pipeline.failure() != null) {
            throw new Await.Abort("the pipeline failed: " + pipeline.failure(), pipeline.failure());
        }
        return true;
    }

    private void change(Statement s, String table, String type, String sql) throws SQLException {
        int rows = s.executeUpdate(sql);
        changes.computeIfAbsent(table, k -> new TreeMap<>()).merge(type, (long) rows, Long::sum);
    }

    private int prove(SqlServer db, ElasticsearchServer es, HiveServer hive, EmbeddedPipeline pipeline) throws Exception {
        Map<String, Long> source = sourceCounts(db);
        Map<String, Long> expectedAudit = new TreeMap<>();
        Map<String, Long> snapshotRows = new TreeMap<>();
        for (String table : TABLES) {
            long made = changes.getOrDefault(table, Map.of()).values().stream().mapToLong(Long::longValue).sum();
            long live = source.get(table);
            long net = changes.getOrDefault(table, Map.of()).getOrDefault("CREATE", 0L)
                    - changes.getOrDefault(table, Map.of()).getOrDefault("DELETE", 0L);
            snapshotRows.put(table, live - net);
            expectedAudit.put(table, live - net + made);
        }
        boolean converged = true;
        try {
            Await.until(Duration.ofMinutes(3), "index and audit to catch up", () -> running(pipeline) && indexCounts(es).equals(source)
                    && JULY.toString().equals(launchDateInIndex(es)) && staleSkipped("late") >= 1 && auditCounts(hive).equals(expectedAudit));
        } catch (RuntimeException e) {
            converged = false;
            say("NOT CONVERGED: " + e.getMessage());
        }
        Map<String, Long> index = indexCounts(es);
        Map<String, Long> audit = auditCounts(hive);
        System.out.println();
        say("proof, per table:");
        System.out.printf("  %-12s %12s %12s %12s   %s%n", "table", "source rows", "index docs", "audit rows", "audit = snapshot + changes");
        boolean ok = converged;
        for (String table : TABLES) {
            boolean same = source.get(table).equals(index.get(table)) && expectedAudit.get(table).equals(audit.get(table));
            ok &= same;
            System.out.printf("  %-12s %12d %12d %12d   %d + %s %s%n", table, source.get(table), index.get(table), audit.get(table),
                    snapshotRows.get(table), changes.getOrDefault(table, Map.of()), same ? "OK" : "MISMATCH");
        }
        String inSource = launchDateInSource(db);
        String inIndex = launchDateInIndex(es);
        long stale = staleSkipped("late");
        boolean story = JULY.toString().equals(inSource) && JULY.toString().equals(inIndex) && stale >= 1;
        ok &= story;
        System.out.println();
        say("the launch date of title " + STORY_TITLE + ": source " + inSource + ", Elasticsearch " + inIndex
                + "; the late June event was skipped as stale (" + stale + " stale) " + (story ? "OK" : "MISMATCH"));
        say("its audit trail in Hive, in binlog order:");
        List<Map<String, Object>> history = new ArrayList<>(hive.query("SELECT type, before_launch_date, after_launch_date, position"
                + " FROM audit." + DB + "_titles WHERE id = '" + STORY_TITLE + "'"));
        history.sort(Comparator.comparingLong(r -> ((Number) r.get("position")).longValue()));
        history.forEach(r -> System.out.printf("  %-7s %s -> %s%n", r.get("type"), r.get("before_launch_date"), r.get("after_launch_date")));
        boolean threeChanges = history.stream().map(r -> r.get("type")).toList().equals(List.of("READ", "UPDATE", "UPDATE"));
        ok &= threeChanges;
        System.out.println();
        say("freshness, source commit to durable in the sink:");
        for (String sink : List.of("search", "audit")) {
            Map<String, Long> f = freshness(sink);
            System.out.printf("  %-7s p50 %,d ms, p99 %,d ms, max %,d ms%n", sink, f.get("FreshnessP50Ms"), f.get("FreshnessP99Ms"),
                    f.get("FreshnessMaxMs"));
        }
        System.out.printf("  %,d events captured, %,d source offsets committed%n", pipeline.captured(), pipeline.committed());
        System.out.println();
        say(ok ? "demo passed: the index equals the database, the audit holds every change once" : "demo FAILED: see MISMATCH above");
        return ok ? 0 : 1;
    }

    private static Map<String, Long> sourceCounts(SqlServer db) {
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = db.connect(DB); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return counts;
    }

    private static Map<String, Long> indexCounts(ElasticsearchServer es) {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : TABLES) {
            String index = DB + "." + table;
            try {
                if (es.status("/" + index) != 200) {
                    counts.put(table, 0L);
                    continue;
                }
                es.request("POST", "/" + index + "/_refresh", null);
                counts.put(table, JSON.readTree(es.request("GET", "/" + index + "/_count", null)).path("count").asLong());
            } catch (Exception e) {
                counts.put(table, -1L);
            }
        }
        return counts;
    }

    /** Audit rows per table, by a fetch (no MapReduce job). */
    private static Map<String, Long> auditCounts(HiveServer hive) {
        Map<String, Long> counts = new TreeMap<>();
        for (String table : TABLES) {
            String name = DB + "_" + table;
            boolean exists = !hive.query("SHOW TABLES IN audit LIKE '" + name + "'").isEmpty();
            counts.put(table, exists ? (long) hive.query("SELECT uuid FROM audit." + name).size() : 0L);
        }
        return counts;
    }

    private static String launchDateInSource(SqlServer db) throws SQLException {
        try (Connection c = db.connect(DB); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT launch_date FROM titles WHERE id = " + STORY_TITLE)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String launchDateInIndex(ElasticsearchServer es) {
        try {
            JsonNode doc = JSON.readTree(es.request("GET", "/" + DB + ".titles/_doc/" + STORY_TITLE, null));
            return doc.path("_source").path("launch_date").asText(null);
        } catch (Exception e) {
            return null;
        }
    }

    private static long staleSkipped(String sink) {
        return attribute("elasticsearch-sink-task", sink, "StaleEventsSkipped");
    }

    private static Map<String, Long> freshness(String sink) {
        String type = sink.equals("audit") ? "hive-audit-sink-task" : "elasticsearch-sink-task";
        Map<String, Long> values = new LinkedHashMap<>();
        for (String name : List.of("FreshnessP50Ms", "FreshnessP99Ms", "FreshnessMaxMs")) {
            values.put(name, attribute(type, sink, name));
        }
        return values;
    }

    /** A sink task's metric from the platform MBean server (the sinks run in this process); -1 if absent. */
    private static long attribute(String type, String connector, String attribute) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            for (ObjectName name : server.queryNames(new ObjectName("io.cdcmesh:type=" + type + ",*"), null)) {
                String value = name.getKeyProperty("connector");
                if (value != null && (value.equals(connector) || ObjectName.unquote(value).equals(connector))) {
                    return ((Number) server.getAttribute(name, attribute)).longValue();
                }
            }
        } catch (Exception e) {
            return -1;
        }
        return -1;
    }

    private Path writePipeline(SqlServer db, ElasticsearchServer es, HiveServer hive) throws Exception {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("runtime").put("data.dir", WorkDir.fresh("pipeline-state").toString())
                .put("offset.flush.interval.ms", "500");
        Map<String, String> source = new LinkedHashMap<>(db.debeziumConnection());
        source.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        source.put("topic.prefix", DB);
        source.put("database.include.list", DB);
        // MariaDB reports a transaction's start as each event's position; NormalizeChangeEvent orders events of one
        // transaction by Debezium's transaction metadata.
        source.put("provide.transaction.metadata", "true");
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        connector(root.putObject("source"), DB, source);

        var sinks = root.putArray("sinks");
        Map<String, String> search = new LinkedHashMap<>();
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("topics.regex", DB + "\\." + DB + "\\..*");
        search.put("connection.url", es.url());
        search.put("index.replicas", "0");
        connector(sinks.addObject(), "search", search);

        Map<String, String> late = new LinkedHashMap<>(search);
        late.remove("topics.regex");
        late.put("topics", DB + "." + DB + ".titles");
        late.put("transforms", "juneMove,late");
        late.put("transforms.juneMove.type", "io.cdcmesh.transforms.FilterChangeEvent");
        late.put("transforms.juneMove.condition", "type == 'UPDATE' && id == '" + STORY_TITLE + "' && after.launch_date == "
                + JUNE.toEpochDay());
        late.put("transforms.late.type", DeliverLate.class.getName());
        late.put("transforms.late.delay.ms", "3000");
        connector(sinks.addObject(), "late", late);

        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("connector.class", "io.cdcmesh.sink.hive.HiveAuditSinkConnector");
        audit.put("topics.regex", DB + "\\." + DB + "\\..*");
        audit.put("hive.jdbc.url", hive.jdbcUrl());
        audit.put("hive.database", "audit");
        audit.put("table.location", hive.externalWarehouse().resolveSibling("audit").toUri().toString());
        audit.put("flush.size", "1000");
        audit.put("rotate.interval.ms", "2000");
        connector(sinks.addObject(), "audit", audit);

        Path file = WorkDir.root().resolve("pipeline.json");
        Files.createDirectories(file.getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }

    private static void connector(ObjectNode node, String name, Map<String, String> config) {
        node.put("name", name);
        node.set("config", JSON.valueToTree(config));
    }

    private void say(String line) {
        System.out.printf("[%5.1f s] %s%n", (System.nanoTime() - started) / 1e9, line);
    }
}
