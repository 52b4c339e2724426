package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MySQL 8 -> Debezium MySqlConnector + NormalizeChangeEvent -> the Hive audit sink from its plugin archive, in a
 * real Connect worker, into a real HiveServer2.
 */
@ExtendWith({MySqlExtension.class, HiveExtension.class})
class HiveAuditSinkInConnectIT {
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void everyChangeOfAMixedWorkloadIsOneAuditRowAndTheStateAsOfQueryGivesBackTheTables(MySqlServer mysql, HiveServer hive)
            throws Exception {
        String db = "hive_it";
        mysql.recreateDatabase(db);
        mysql.execute(db,
                "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(200), launch_date DATE, budget DECIMAL(15,2), revision INT)",
                "CREATE TABLE `Order` (`id` INT PRIMARY KEY, `table` VARCHAR(20), `Mixed Case` VARCHAR(40))",
                "CREATE TABLE credits (title_id INT, person VARCHAR(64), role VARCHAR(32), PRIMARY KEY (title_id, person))",
                "CREATE TABLE probe (id INT PRIMARY KEY)");
        startPipeline("hive-sink-it", mysql, hive, db, Map.of());

        AuditTables.Changes changes = new AuditTables.Changes();
        String titles = "audit_it." + db + "_titles";
        String orders = "audit_it." + db + "_order";
        String credits = "audit_it." + db + "_credits";
        long ratedUpdates;
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 1; id <= 300; id++) {
                changes.run(s, titles, "CREATE", "INSERT INTO titles VALUES (" + id + ", 'Title " + id + " \u2702\n2nd line', '2026-0"
                        + (1 + id % 9) + "-15', " + (id * 1000.25) + ", 0)");
            }
            for (int id = 1; id <= 100; id++) {
                changes.run(s, orders, "CREATE", "INSERT INTO `Order` VALUES (" + id + ", 'select', 'Order ''" + id + "''')");
            }
            for (int i = 0; i < 200; i++) {
                changes.run(s, credits, "CREATE", "INSERT INTO credits VALUES (" + (1 + i % 90) + ", 'person " + i + " | x', 'role')");
            }
            changes.run(s, titles, "UPDATE", "UPDATE titles SET revision = revision + 1, name = CONCAT(name, ' r') WHERE id % 3 = 0");
            changes.run(s, titles, "DELETE", "DELETE FROM titles WHERE id % 10 = 0");
            changes.run(s, orders, "UPDATE", "UPDATE `Order` SET `Mixed Case` = CONCAT(`Mixed Case`, '!') WHERE id % 4 = 0");
            changes.run(s, credits, "DELETE", "DELETE FROM credits WHERE title_id % 9 = 0");
            // A column added mid-stream: later changes carry it.
            s.execute("ALTER TABLE titles ADD COLUMN rating DOUBLE");
            ratedUpdates = changes.run(s, titles, "UPDATE", "UPDATE titles SET rating = id / 10, revision = revision + 1 WHERE id % 7 = 0");
            for (int id = 301; id <= 320; id++) {
                changes.run(s, titles, "CREATE", "INSERT INTO titles VALUES (" + id + ", 'Late " + id + "', NULL, NULL, 0, " + id + ".5)");
            }
        }

        for (String table : List.of(titles, orders, credits)) {
            long expected = changes.total(table);
            Await.until(Duration.ofSeconds(180), table + " to hold " + expected + " audit rows",
                    () -> AuditTables.rows(hive, table) >= expected);
            assertThat(hive.query("SELECT count(*) AS n FROM " + table).get(0).get("n")).as(table + " count(*)").isEqualTo(expected);
            assertThat(AuditTables.typeCounts(hive, table)).as(table + " changes per type").isEqualTo(changes.of(table));
            assertThat(AuditTables.duplicateUuids(hive, table)).as(table + " uuids seen twice").isEmpty();
        }

        assertTaskMetrics(changes.total(titles) + changes.total(orders) + changes.total(credits) + 1);

        // Rows written after the ALTER carry the new column; none before it does.
        assertThat(hive.query("SELECT count(*) AS n FROM " + titles + " WHERE after_rating IS NOT NULL").get(0).get("n"))
                .isEqualTo(ratedUpdates + 20);

        // The README's state-as-of query, as of now, gives back each source table.
        String now = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(Instant.now().plusSeconds(1));
        assertThat(stateAsOf(hive, titles, now, List.of("name", "revision", "rating")))
                .isEqualTo(AuditTables.sourceRows(mysql, db, "titles", "id", List.of("name", "revision", "rating")));
        assertThat(stateAsOf(hive, orders, now, List.of("table", "mixed case")))
                .isEqualTo(renamed(AuditTables.sourceRows(mysql, db, "Order", "id", List.of("table", "Mixed Case"))));
    }

    @Test
    void hiveServer2DownForThirtySecondsMidStreamLosesAndDoublesNothing(MySqlServer mysql, HiveServer hive) throws Exception {
        String db = "hive_outage";
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE plays (id INT PRIMARY KEY, n INT)", "CREATE TABLE probe (id INT PRIMARY KEY)");
        startPipeline("hive-outage-it", mysql, hive, db, Map.of("flush.size", "50", "retry.backoff.max.ms", "2000"));
        String plays = "audit_it." + db + "_plays";
        AuditTables.Changes changes = new AuditTables.Changes();
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 1; id <= 200; id++) {
                changes.run(s, plays, "CREATE", "INSERT INTO plays VALUES (" + id + ", 0)");
            }
            Await.until(Duration.ofSeconds(120), "the first rows in Hive", () -> AuditTables.rows(hive, plays) > 0);

            hive.stop();
            long down = System.nanoTime();
            int next = 201;
            // Changes keep coming while HiveServer2 is down; the tasks must stay RUNNING all along.
            while (System.nanoTime() - down < Duration.ofSeconds(30).toNanos()) {
                changes.run(s, plays, "CREATE", "INSERT INTO plays VALUES (" + next + ", 0)");
                changes.run(s, plays, "UPDATE", "UPDATE plays SET n = n + 1 WHERE id = " + (next - 100));
                next++;
                long captured = changes.total(plays);
                Await.until(Duration.ofSeconds(30), "the source to capture change " + captured,
                        () -> endOffsets("studio." + db + ".plays") >= captured);
                assertThat(taskStates("hive")).containsOnly("RUNNING");
            }
            hive.start();
        }
        long expected = changes.total(plays);
        Await.until(Duration.ofSeconds(180), plays + " to hold all " + expected + " changes",
                () -> AuditTables.rows(hive, plays) >= expected);
        assertThat(AuditTables.rows(hive, plays)).isEqualTo(expected);
        assertThat(AuditTables.duplicateUuids(hive, plays)).isEmpty();
        assertThat(taskStates("hive")).containsOnly("RUNNING");
    }

    @Test
    void anIdleTopicsLastRowsLandWithinTheRotateInterval(MySqlServer mysql, HiveServer hive) throws Exception {
        String db = "hive_idle";
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE quiet (id INT PRIMARY KEY)", "CREATE TABLE probe (id INT PRIMARY KEY)");
        startPipeline("hive-idle-it", mysql, hive, db, Map.of("flush.size", "100000", "rotate.interval.ms", "4000"));
        String quiet = "audit_it." + db + "_quiet";
        mysql.execute(db, "INSERT INTO quiet VALUES (1), (2), (3)");
        long written = System.nanoTime();
        Await.until(Duration.ofSeconds(60), "the three rows in Hive with nothing more arriving", () -> AuditTables.rows(hive, quiet) == 3);
        long elapsedMs = (System.nanoTime() - written) / 1_000_000;
        // 4 s rotation, plus capture, consumer poll and the Hive checks themselves.
        assertThat(elapsedMs).as("ms from the last insert to the rows in Hive").isBetween(4_000L, 20_000L);
    }

    /** The tasks' JMX metrics (the worker runs in this JVM) account for every row and its freshness. */
    private static void assertTaskMetrics(long rows) throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        long written = 0;
        for (String task : List.of("0", "1")) {
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "io.cdcmesh:type=hive-audit-sink-task,connector=\"hive\",task=\"" + task + "\"");
            long taskRows = (Long) server.getAttribute(name, "RowsWritten");
            written += taskRows;
            long p50 = (Long) server.getAttribute(name, "FreshnessP50Ms");
            long p99 = (Long) server.getAttribute(name, "FreshnessP99Ms");
            assertThat(p50).isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo((Long) server.getAttribute(name, "FreshnessMaxMs"));
            // Which task gets which partitions is Connect's choice: one may get none, and has then flushed nothing.
            if (taskRows > 0) {
                assertThat((Long) server.getAttribute(name, "Flushes")).as("task %s wrote rows", task).isPositive();
            }
            assertThat((Long) server.getAttribute(name, "DeadLetterRecords")).isZero();
            assertThat((Long) server.getAttribute(name, "BufferedRows")).isZero();
        }
        assertThat(written).as("rows written by both tasks, the probe row included").isEqualTo(rows);
    }

    /** A worker running Debezium + NormalizeChangeEvent on {@code db} and the Hive sink (two tasks) from its archive. */
    private void startPipeline(String name, MySqlServer mysql, HiveServer hive, String db, Map<String, String> sinkOverrides)
            throws InterruptedException {
        connect = ConnectWorkers.start(name);
        connect.configureConnector("source", source(mysql, db));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("source", 1, "source did not start");
        Map<String, String> sink = AuditTables.sinkConfig(hive, db, "audit_it", 2);
        sink.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("rotate.interval.ms", "2000");
        sink.put("errors.tolerance", "all");
        sink.put("errors.deadletterqueue.topic.name", "dlq." + db);
        sink.put("errors.deadletterqueue.topic.replication.factor", "1");
        sink.putAll(sinkOverrides);
        connect.configureConnector("hive", sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("hive", 2, "sink did not start");
        AuditTables.awaitStreaming(mysql, hive, db, "audit_it");
    }

    /** The sum of a topic's end offsets: how many changes the source has captured into it. */
    private long endOffsets(String topic) {
        try (var admin = connect.kafka().createAdminClient()) {
            var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions();
            Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new org.apache.kafka.common.TopicPartition(topic, p.partition()),
                    org.apache.kafka.clients.admin.OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        } catch (Exception e) {
            return 0;
        }
    }

    private List<String> taskStates(String connector) {
        return connect.connectorStatus(connector).tasks().stream().map(t -> t.state()).toList();
    }

    /** Rows of the state-as-of query keyed by id, with after_ columns renamed to the source's. */
    private static Map<String, Map<String, String>> stateAsOf(HiveServer hive, String table, String time, List<String> columns) {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        for (Map<String, Object> row : hive.query(AuditTables.stateAsOfQuery(table, time))) {
            Map<String, String> values = new HashMap<>();
            for (String column : columns) {
                Object value = row.get("after_" + column);
                values.put(column, value == null ? null : value.toString());
            }
            rows.put((String) row.get("id"), values);
        }
        return rows;
    }

    private static Map<String, Map<String, String>> renamed(Map<String, Map<String, String>> rows) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        rows.forEach((id, row) -> {
            Map<String, String> lower = new HashMap<>();
            row.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
            out.put(id, lower);
        });
        return out;
    }

    private Map<String, String> source(MySqlServer mysql, String db) {
        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, connect.kafka().bootstrapServers(), "studio", db, 2);
        config.put("transforms", "normalize");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        return config;
    }
}
