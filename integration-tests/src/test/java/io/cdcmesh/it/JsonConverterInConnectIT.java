package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * cdc-mesh's JSON converter plugin ({@code io.cdcmesh.converters.json.JsonConverter}, loaded from its archive by a real
 * Connect worker) against Kafka's own: Debezium + NormalizeChangeEvent write with cdc-mesh's converter, and two
 * Elasticsearch sinks read the same topics, one with each converter.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class JsonConverterInConnectIT {
    private static final String DB = "jsonconv";
    private static final String CDC_MESH_JSON = "io.cdcmesh.converters.json.JsonConverter";
    private static final String KAFKA_JSON = "org.apache.kafka.connect.json.JsonConverter";
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void writesKafkasBytesAndReadsIntoTheSameIndexAsKafkasConverter(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB,
                "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(100), price DECIMAL(12,2), big BIGINT UNSIGNED,"
                        + " tiny TINYINT, small SMALLINT DEFAULT 7, ratio DOUBLE, f FLOAT, flag BIT(1), bits BIT(12),"
                        + " born DATE, at DATETIME(6), stamp TIMESTAMP(3) NULL, t TIME(3), y YEAR, data VARBINARY(32),"
                        + " doc JSON, status ENUM('draft','greenlit'), tags SET('a','b','c'), note TEXT)",
                "CREATE TABLE credits (title_id INT, person VARCHAR(64), role VARCHAR(32), PRIMARY KEY (title_id, person))");
        connect = ConnectWorkers.start("json-converter-it");
        Map<String, String> source = ConnectWorkers.debeziumMySqlSource(mysql, connect.kafka().bootstrapServers(), "cj", DB, 2);
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        source.put("key.converter", CDC_MESH_JSON);
        source.put("value.converter", CDC_MESH_JSON);
        connect.configureConnector("source", source);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("source", 1, "source did not start");
        connect.configureConnector("es-cdcmesh", sink(es, CDC_MESH_JSON, "cdcmesh"));
        connect.configureConnector("es-kafka", sink(es, KAFKA_JSON, "kafka"));
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("es-cdcmesh", 2, "sink did not start");

        int changes = workload(mysql);

        for (String table : List.of("items", "credits")) {
            Map<String, Map<String, Object>> rows = IndexComparisons.sourceRows(mysql, DB, table);
            Map<String, JsonNode> ours = Await.value(Duration.ofSeconds(120), table + " indexed through cdc-mesh's converter",
                    () -> indexed(es, DB + "." + table + "-cdcmesh"), docs -> docs.keySet().equals(rows.keySet()));
            Map<String, JsonNode> kafkas = Await.value(Duration.ofSeconds(120), table + " indexed through Kafka's converter",
                    () -> indexed(es, DB + "." + table + "-kafka"), docs -> docs.keySet().equals(rows.keySet()));
            assertThat(ours).as("documents of %s read by each converter", table).isEqualTo(kafkas);
        }

        // Every record the source wrote with cdc-mesh's converter is what Kafka's converter writes for the same data.
        JsonConverter kafka = new JsonConverter();
        kafka.configure(Map.of(), false);
        JsonConverter kafkaKeys = new JsonConverter();
        kafkaKeys.configure(Map.of(), true);
        int records = 0;
        for (String table : List.of("items", "credits")) {
            String topic = "cj." + DB + "." + table;
            for (ConsumerRecord<byte[], byte[]> record : connect.kafka().consumeAll(60_000, topic)) {
                assertThat(rewritten(kafkaKeys, topic, record.key())).as("key at %s", record.offset()).isEqualTo(text(record.key()));
                assertThat(rewritten(kafka, topic, record.value())).as("value at %s", record.offset()).isEqualTo(text(record.value()));
                records++;
            }
        }
        assertThat(records).as("records in the topics, tombstones included").isGreaterThanOrEqualTo(changes);
    }

    @Test
    void aValueOfTheWrongTypeGoesToTheDlqNamingTheFieldAndLaterRecordsAreIndexed(ElasticsearchServer es) throws Exception {
        connect = ConnectWorkers.start("json-converter-dlq-it");
        String topic = "cj." + DB + ".hand_written";
        connect.kafka().createTopic(topic, 1);
        Map<String, String> sink = sink(es, CDC_MESH_JSON, "dlq");
        sink.put("topics.regex", "cj\\." + DB + "\\.hand_written");
        connect.configureConnector("es-dlq", sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("es-dlq", 2, "sink did not start");
        String schema = "{\"type\":\"struct\",\"name\":\"cdc.Event\",\"optional\":false,\"fields\":["
                + "{\"field\":\"uuid\",\"type\":\"string\",\"optional\":false},{\"field\":\"type\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"ts\",\"type\":\"int64\",\"optional\":false},{\"field\":\"entity\",\"type\":\"string\",\"optional\":false},"
                + "{\"field\":\"id\",\"type\":\"string\",\"optional\":false},{\"field\":\"position\",\"type\":\"int64\",\"optional\":false},"
                + "{\"field\":\"after\",\"optional\":true,\"type\":\"struct\",\"name\":\"row\",\"fields\":["
                + "{\"field\":\"id\",\"type\":\"int32\",\"optional\":false},{\"field\":\"score\",\"type\":\"int32\",\"optional\":true}]}]}";
        for (int id = 1; id <= 3; id++) {
            String score = id == 2 ? "\"two\"" : Integer.toString(id * 10);
            String value = "{\"schema\":" + schema + ",\"payload\":{\"uuid\":\"u" + id + "\",\"type\":\"CREATE\",\"ts\":1,"
                    + "\"entity\":\"" + DB + ".hand_written\",\"id\":\"" + id + "\",\"position\":" + id + ",\"after\":{\"id\":" + id
                    + ",\"score\":" + score + "}}}";
            connect.kafka().produce(topic, 0, null, value);
        }
        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        connect.kafka().consume(1, 120_000, "dlq.json-converter").forEach(dead::add);
        assertThat(dead).hasSize(1);
        assertThat(ConnectWorkers.header(dead.get(0), "__connect.errors.exception.message"))
                .isEqualTo("field 'after.score': Expected a number for INT32, found a string");
        assertThat(text(dead.get(0).value())).contains("\"score\":\"two\"");
        String index = DB + ".hand_written-dlq";
        Await.until(Duration.ofSeconds(60), "records 1 and 3 indexed", () -> IndexComparisons.count(es, index) == 2);
        assertThat(IndexComparisons.documents(es, index)).containsOnlyKeys("1", "3");
        assertThat(IndexComparisons.documents(es, index).get("3").path("score").asInt()).isEqualTo(30);
    }

    /** Inserts, updates and deletes over both tables; returns the number of row changes. */
    private static int workload(MySqlServer mysql) throws Exception {
        Random random = new Random(11);
        int changes = 0;
        try (Connection c = mysql.connect(DB)) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO items (id, name, price, big, tiny, ratio, f, flag, bits,"
                    + " born, at, stamp, t, y, data, doc, status, tags, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (int id = 1; id <= 400; id++) {
                    boolean nulls = id % 13 == 0;
                    insert.setInt(1, id);
                    insert.setString(2, nulls ? null : "Item " + id + (id % 5 == 0 ? " ✂ \"quoted\" \\ ü" : ""));
                    insert.setBigDecimal(3, nulls ? null : java.math.BigDecimal.valueOf(random.nextInt(10_000_000) - 5_000_000, 2));
                    insert.setString(4, nulls ? null : Long.toUnsignedString(random.nextLong()));
                    insert.setObject(5, nulls ? null : random.nextInt(256) - 128);
                    insert.setObject(6, nulls ? null : random.nextGaussian() * 1e6);
                    insert.setObject(7, nulls ? null : random.nextFloat() * 100);
                    insert.setObject(8, nulls ? null : id % 2 == 0);
                    insert.setObject(9, nulls ? null : random.nextInt(4096));
                    insert.setString(10, nulls ? null : "19" + (10 + id % 90) + "-0" + (1 + id % 9) + "-1" + id % 10);
                    insert.setString(11, nulls ? null : "2026-07-04 12:34:" + (10 + id % 50) + "." + (100_000 + id));
                    insert.setString(12, nulls ? null : "2025-01-0" + (1 + id % 9) + " 08:00:00.123");
                    insert.setString(13, nulls ? null : (id % 24) + ":15:30.250");
                    insert.setObject(14, nulls ? null : 1990 + id % 40);
                    byte[] bytes = new byte[id % 17];
                    random.nextBytes(bytes);
                    insert.setBytes(15, nulls ? null : bytes);
                    insert.setString(16, nulls ? null : "{\"n\": " + id + ", \"tags\": [\"x\", \"y\"]}");
                    insert.setString(17, nulls ? null : id % 3 == 0 ? "greenlit" : "draft");
                    insert.setString(18, nulls ? null : id % 4 == 0 ? "a,c" : "b");
                    insert.setString(19, nulls ? null : "note " + id);
                    insert.addBatch();
                    changes++;
                }
                insert.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                changes += s.executeUpdate("UPDATE items SET price = price * 2, status = 'greenlit', note = NULL WHERE id % 3 = 0");
                changes += s.executeUpdate("UPDATE items SET small = NULL, name = CONCAT(name, ' v2') WHERE id % 7 = 0");
                changes += s.executeUpdate("DELETE FROM items WHERE id % 10 = 0");
                for (int i = 0; i < 300; i++) {
                    s.addBatch("INSERT INTO credits VALUES (" + (1 + i % 50) + ", 'person " + i + " | " + (i % 4) + "', 'role " + (i % 5) + "')");
                }
                changes += s.executeBatch().length;
                changes += s.executeUpdate("UPDATE credits SET role = 'lead' WHERE title_id % 4 = 0");
                changes += s.executeUpdate("DELETE FROM credits WHERE title_id % 9 = 0");
            }
        }
        return changes;
    }

    private Map<String, String> sink(ElasticsearchServer es, String converter, String suffix) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        config.put("tasks.max", "2");
        config.put("topics.regex", "cj\\." + DB + "\\..*");
        config.put("connection.url", es.url());
        config.put("index.replicas", "0");
        config.put("index.name.pattern", "${db}.${table}-" + suffix);
        config.put("key.converter", converter);
        config.put("value.converter", converter);
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", "dlq.json-converter");
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        config.put("consumer.override.metadata.max.age.ms", "1000");
        return config;
    }

    private static Map<String, JsonNode> indexed(ElasticsearchServer es, String index) {
        return es.status("/" + index) == 200 ? IndexComparisons.documentsUnchecked(es, index) : new TreeMap<>();
    }

    /** What Kafka's converter writes for what it reads from {@code bytes}. */
    private static String rewritten(JsonConverter kafka, String topic, byte[] bytes) {
        SchemaAndValue data = kafka.toConnectData(topic, bytes);
        return text(kafka.fromConnectData(topic, data.schema(), data.value()));
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
