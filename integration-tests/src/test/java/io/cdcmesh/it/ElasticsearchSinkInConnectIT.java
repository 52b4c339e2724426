package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MySQL 8 -> Debezium MySqlConnector + NormalizeChangeEvent -> the Elasticsearch sink from its plugin archive, in a
 * real Connect worker, into a real Elasticsearch node.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class ElasticsearchSinkInConnectIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "esit";
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void everyIndexEqualsItsSourceTableAfterAMixedWorkload(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB,
                "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(200), launch_date DATE, budget DECIMAL(15,2),"
                        + " status ENUM('draft','greenlit','released'), updated_at DATETIME(6))",
                "CREATE TABLE credits (title_id INT, person VARCHAR(64), role VARCHAR(32), PRIMARY KEY (title_id, person))",
                "CREATE TABLE budgets (id BIGINT PRIMARY KEY, amount DECIMAL(20,4), note TEXT)");
        Random random = new Random(7);
        try (Connection c = mysql.connect(DB)) {
            insertTitles(c, 1, 500, random);
        }

        connect = ConnectWorkers.start("es-sink-it");
        connect.configureConnector("source", sourceConfig(mysql));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("source", 1, "source did not start");
        connect.configureConnector("es", sinkConfig(es));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("es", 2, "sink did not start");

        try (Connection c = mysql.connect(DB)) {
            insertTitles(c, 501, 2_000, random);
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE titles SET launch_date = DATE_ADD(launch_date, INTERVAL 30 DAY), status = 'greenlit'"
                        + " WHERE id % 3 = 0");
                s.execute("UPDATE titles SET name = CONCAT(name, ' (director''s cut) ✂'), budget = budget * 1.1 WHERE id % 7 = 0");
                s.execute("DELETE FROM titles WHERE id % 10 = 0");
                s.execute("INSERT INTO titles (id, name, status) VALUES (10, 'Recreated after delete', 'draft')");
                for (int i = 0; i < 1_500; i++) {
                    s.addBatch("INSERT INTO credits VALUES (" + (1 + i % 700) + ", 'person " + i + " | " + (i % 4) + "', 'role "
                            + (i % 5) + "')");
                }
                s.executeBatch();
                s.execute("UPDATE credits SET role = 'lead' WHERE title_id % 4 = 0");
                s.execute("DELETE FROM credits WHERE title_id % 9 = 0");
                for (int i = 1; i <= 1_000; i++) {
                    s.addBatch("INSERT INTO budgets VALUES (" + (5_000_000_000L + i) + ", " + (i * 1234.5678) + ", 'line " + i + "')");
                }
                s.executeBatch();
                s.execute("UPDATE budgets SET amount = -amount WHERE id % 2 = 0");
                s.execute("DELETE FROM budgets WHERE id % 5 = 0");
            }
        }

        for (String table : List.of("titles", "credits", "budgets")) {
            Map<String, Map<String, Object>> source = IndexComparisons.sourceRows(mysql, DB, table);
            String index = DB + "." + table;
            Map<String, JsonNode> documents;
            try {
                documents = Await.value(Duration.ofSeconds(180),
                        index + " to hold exactly the " + source.size() + " ids of its table",
                        () -> es.status("/" + index) == 200 ? IndexComparisons.documentsUnchecked(es, index) : Map.of(),
                        docs -> docs.keySet().equals(source.keySet()));
            } catch (AssertionError timedOut) {
                Map<String, JsonNode> last = IndexComparisons.documentsUnchecked(es, index);
                java.util.Set<String> missing = new java.util.TreeSet<>(source.keySet());
                missing.removeAll(last.keySet());
                java.util.Set<String> extra = new java.util.TreeSet<>(last.keySet());
                extra.removeAll(source.keySet());
                throw new AssertionError(index + ": " + missing.size() + " ids missing " + IndexComparisons.first(missing) + ", "
                        + extra.size() + " ids that should not be there " + IndexComparisons.first(extra), timedOut);
            }
            source.forEach((id, row) -> row.forEach((column, value) ->
                    assertThat(IndexComparisons.normalize(documents.get(id).get(column))).as("%s/%s.%s", index, id, column).isEqualTo(value)));
        }
        assertTaskMetrics(5_300);
    }

    /** The tasks' JMX metrics (the worker runs in this JVM) account for the writes and their freshness. */
    private static void assertTaskMetrics(long atLeastWrites) throws Exception {
        javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
        // The index can hold its final state while a bulk request of older events is still under way (it will be
        // refused as stale): every record is accounted for once the tasks have none outstanding. Not asserted again
        // below: a consumer rebalance (each task's consumer finds the topics created mid-test on its own metadata
        // refresh) may deliver the records after the last committed offset again, which are then refused as stale.
        Await.until(Duration.ofSeconds(60), "both tasks to have every record acknowledged", () -> {
            long buffered = 0;
            for (String task : List.of("0", "1")) {
                try {
                    buffered += (Long) server.getAttribute(new javax.management.ObjectName(
                            "io.cdcmesh:type=elasticsearch-sink-task,connector=\"es\",task=\"" + task + "\""), "BufferedRecords");
                } catch (javax.management.JMException e) {
                    throw new IllegalStateException("cannot read BufferedRecords of task " + task, e);
                }
            }
            return buffered == 0;
        });
        long indexed = 0;
        long deleted = 0;
        for (String task : List.of("0", "1")) {
            javax.management.ObjectName name = new javax.management.ObjectName(
                    "io.cdcmesh:type=elasticsearch-sink-task,connector=\"es\",task=\"" + task + "\"");
            long taskIndexed = (Long) server.getAttribute(name, "DocumentsIndexed");
            long taskDeleted = (Long) server.getAttribute(name, "DocumentsDeleted");
            indexed += taskIndexed;
            deleted += taskDeleted;
            long p50 = (Long) server.getAttribute(name, "FreshnessP50Ms");
            long p99 = (Long) server.getAttribute(name, "FreshnessP99Ms");
            long max = (Long) server.getAttribute(name, "FreshnessMaxMs");
            assertThat(p50).isLessThanOrEqualTo(p99);
            assertThat(p99).isLessThanOrEqualTo(max);
            // Which task gets which partitions is Connect's choice: one may get none, and has then written nothing.
            long lastWriteAge = (Long) server.getAttribute(name, "LastWriteAgeMs");
            if (taskIndexed + taskDeleted > 0) {
                assertThat(lastWriteAge).as("task %s wrote: age of its last write", task).isBetween(0L, 600_000L);
            } else {
                assertThat(lastWriteAge).as("task %s wrote nothing", task).isEqualTo(-1L);
            }
            assertThat((Long) server.getAttribute(name, "DeadLetterRecords")).isZero();
        }
        assertThat(indexed).as("documents indexed by both tasks").isGreaterThanOrEqualTo(atLeastWrites);
        assertThat(deleted).as("deletes by both tasks").isGreaterThanOrEqualTo(200);
    }

    @Test
    void rowElasticsearchRefusesLandsInTheDlqWithTheReasonAndLaterRowsAreIndexed(MySqlServer mysql, ElasticsearchServer es)
            throws Exception {
        mysql.recreateDatabase(DB + "_dlq");
        mysql.execute(DB + "_dlq", "CREATE TABLE places (id INT PRIMARY KEY, name VARCHAR(50), location POINT)",
                "INSERT INTO places VALUES (1, 'Berlin', ST_GeomFromText('POINT(13.4 52.5)'))");
        connect = ConnectWorkers.start("es-dlq-it");
        Map<String, String> source = sourceConfig(mysql);
        source.put("database.include.list", DB + "_dlq");
        connect.configureConnector("source", source);
        Map<String, String> sink = sinkConfig(es);
        sink.put("topics.regex", "studio\\." + DB + "_dlq\\..*");
        connect.configureConnector("es", sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("es", 2, "sink did not start");
        mysql.execute(DB + "_dlq",
                "INSERT INTO places VALUES (2, 'Beyond the pole', ST_GeomFromText('POINT(10 95)'))",
                "INSERT INTO places VALUES (3, 'Lisbon', ST_GeomFromText('POINT(-9.1 38.7)'))");

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        connect.kafka().consume(1, 120_000, "dlq.es").forEach(dead::add);
        assertThat(dead).hasSize(1);
        assertThat(ConnectWorkers.header(dead.get(0), "__connect.errors.topic")).isEqualTo("studio." + DB + "_dlq.places");
        assertThat(ConnectWorkers.header(dead.get(0), "__connect.errors.exception.message")).contains("location");
        String index = DB + "_dlq.places";
        Await.until(Duration.ofSeconds(60), "rows 1 and 3 indexed", () -> IndexComparisons.count(es, index) == 2);
        assertThat(IndexComparisons.documents(es, index)).containsOnlyKeys("1", "3");
        assertThat(connect.connectorStatus("es").tasks().get(0).state()).isEqualTo("RUNNING");
    }

    @Test
    void thirtySecondOutageAndAColumnAddedMidStreamLoseNothing(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        String db = DB + "_outage";
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100))");
        connect = ConnectWorkers.start("es-outage-it");
        Map<String, String> source = sourceConfig(mysql);
        source.put("database.include.list", db);
        connect.configureConnector("source", source);
        Map<String, String> sink = sinkConfig(es);
        sink.put("tasks.max", "1");
        sink.put("topics.regex", "studio\\." + db + "\\..*");
        sink.put("retry.backoff.max.ms", "2000");
        connect.configureConnector("es", sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("es", 1, "sink did not start");
        String index = db + ".titles";
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 1; id <= 200; id++) {
                s.addBatch("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "')");
            }
            s.executeBatch();
        }
        Await.until(Duration.ofSeconds(120), "the first 200 rows indexed", () -> IndexComparisons.count(es, index) == 200);

        es.stop();
        long outageEnds = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 201; id <= 500; id++) {
                s.addBatch("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "')");
            }
            s.executeBatch();
            s.execute("UPDATE titles SET name = CONCAT(name, ' (restored)') WHERE id % 4 = 0");
            s.execute("DELETE FROM titles WHERE id % 25 = 0");
            s.execute("ALTER TABLE titles ADD COLUMN rating DOUBLE");
            for (int id = 501; id <= 600; id++) {
                s.addBatch("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', " + (id % 10) + ".5)");
            }
            s.executeBatch();
        }
        // The outage lasts 30 s; its length is the test's input. Meanwhile the task must stay RUNNING.
        while (System.nanoTime() < outageEnds) {
            assertThat(connect.connectorStatus("es").tasks().get(0).state()).as("sink task while Elasticsearch is down")
                    .isEqualTo("RUNNING");
            long nextCheck = Math.min(outageEnds, System.nanoTime() + Duration.ofSeconds(1).toNanos());
            Await.until(Duration.ofSeconds(2), "the next status check", () -> System.nanoTime() >= nextCheck);
        }
        es.start();

        Map<String, Map<String, Object>> expected = IndexComparisons.sourceRows(mysql, db, "titles");
        Map<String, JsonNode> documents = Await.value(Duration.ofSeconds(180), index + " to equal its table again",
                () -> IndexComparisons.documentsUnchecked(es, index), docs -> docs.keySet().equals(expected.keySet()));
        expected.forEach((id, row) -> row.forEach((column, value) ->
                assertThat(IndexComparisons.normalize(documents.get(id).get(column))).as("%s/%s.%s", index, id, column).isEqualTo(value)));
        JsonNode mapping = JSON.readTree(es.request("GET", "/" + index + "/_mapping", null));
        assertThat(mapping.path(index).path("mappings").path("properties").path("rating").path("type").asText()).isEqualTo("double");
        long highRated = JSON.readTree(es.request("POST", "/" + index + "/_count", "{\"query\":{\"range\":{\"rating\":{\"gte\":9}}}}"))
                .path("count").asLong();
        assertThat(highRated).isEqualTo(expected.values().stream().filter(r -> r.get("rating") != null
                && ((BigDecimal) r.get("rating")).compareTo(BigDecimal.valueOf(9)) >= 0).count()).isEqualTo(10);
        assertThat(connect.connectorStatus("es").tasks().get(0).state()).isEqualTo("RUNNING");
    }

    private static void insertTitles(Connection c, int from, int to, Random random) throws Exception {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO titles VALUES (?, ?, ?, ?, ?, ?)")) {
            for (int id = from; id <= to; id++) {
                insert.setInt(1, id);
                insert.setString(2, "Title " + id + (id % 11 == 0 ? " — «déjà vu» 🎬" : ""));
                insert.setObject(3, LocalDate.of(2027, 1, 1).plusDays(random.nextInt(700)));
                insert.setBigDecimal(4, BigDecimal.valueOf(random.nextInt(100_000_000), 2));
                insert.setString(5, id % 5 == 0 ? "released" : "draft");
                insert.setObject(6, LocalDateTime.of(2026, 11, 1, 9, 0).plusNanos(random.nextInt(1_000_000_000) * 1_000L));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    private Map<String, String> sourceConfig(MySqlServer mysql) {
        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, connect.kafka().bootstrapServers(), "studio", DB, 3);
        config.put("transforms", "normalize");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        return config;
    }

    private Map<String, String> sinkConfig(ElasticsearchServer es) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        config.put("tasks.max", "2");
        config.put("topics.regex", "studio\\." + DB + "\\..*");
        config.put("connection.url", es.url());
        config.put("index.replicas", "0");
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "dlq.es");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("consumer.override.max.poll.records", "500");
        // topics.regex finds topics created after the subscription only when metadata refreshes (default 5 min)
        config.put("consumer.override.metadata.max.age.ms", "1000");
        return config;
    }

}
