package io.cdcmesh.sink.elasticsearch;

import static io.cdcmesh.sink.elasticsearch.Events.ROW_V1;
import static io.cdcmesh.sink.elasticsearch.Events.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.servers.SqlServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** document.source=lookup: the index follows the source's current rows, whatever the events' payloads say. */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class LookupModeIT {
    private static final TopicPartition PARTITION = new TopicPartition(Events.TOPIC, 0);
    private ElasticsearchSinkTask task;

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void lookupIndexesTheCurrentRowsEvenWhenEventPayloadsAreStale(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase("film");
        mysql.execute("film", "CREATE TABLE titles (id INT PRIMARY KEY, title VARCHAR(100), launch_date DATE, budget DECIMAL(15,2))",
                "INSERT INTO titles VALUES (1, 'Orbit', '2027-07-01', 1000000.00), (2, 'Undertow', '2027-03-01', 25.50),"
                        + " (3, 'Lighthouse (re-released)', '2028-01-01', 7.00)");
        task = lookupTask(mysql, es, "titles-lookup", Map.of("linger.ms", "10000"));

        Events events = new Events();
        List<SinkRecord> stale = new ArrayList<>();
        stale.add(events.event("CREATE", null, title(ROW_V1, 1, "Orbit (stale)", 20_000, "1.00"), 10));
        stale.add(events.event("UPDATE", title(ROW_V1, 2, "x", 1, null), title(ROW_V1, 2, "Undertow (stale)", 20_001, null), 11));
        stale.add(events.event("DELETE", title(ROW_V1, 3, "Lighthouse", 20_002, null), null, 12));
        stale.add(events.event("UPDATE", title(ROW_V1, 4, "Gone", 20_003, null), title(ROW_V1, 4, "Gone (stale)", 20_004, null), 13));
        deliver(task, stale, 4);

        Map<String, JsonNode> docs = ElasticsearchSinkTaskIT.documents(es, "titles-lookup");
        assertThat(docs).containsOnlyKeys("1", "2", "3");
        assertThat(docs.get("1").get("title").asText()).isEqualTo("Orbit");
        assertThat(docs.get("1").get("launch_date").asText()).isEqualTo("2027-07-01");
        assertThat(docs.get("1").get("budget").decimalValue()).isEqualByComparingTo("1000000.00");
        assertThat(docs.get("2").get("title").asText()).isEqualTo("Undertow");
        assertThat(docs.get("3").get("title").asText()).as("deleted per the event, present in the source").isEqualTo("Lighthouse (re-released)");

        mysql.execute("film", "DELETE FROM titles WHERE id = 2", "UPDATE titles SET title = 'Orbit II' WHERE id = 1");
        long probeCost = -comSelect(mysql) + comSelect(mysql);
        long selectsBefore = comSelect(mysql);
        List<SinkRecord> hints = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hints.add(events.event("UPDATE", title(ROW_V1, 1 + i % 2, "a", 1, null), title(ROW_V1, 1 + i % 2, "b", 2, null), 100 + i));
        }
        deliver(task, hints, 54);
        assertThat(comSelect(mysql) - selectsBefore - probeCost).as("one query for the table, for a batch of 50 events")
                .isEqualTo(1);
        docs = ElasticsearchSinkTaskIT.documents(es, "titles-lookup");
        assertThat(docs).containsOnlyKeys("1", "3");
        assertThat(docs.get("1").get("title").asText()).isEqualTo("Orbit II");
    }

    @Test
    void keysOfEveryTypeFindTheirRowAndOnlyCapturedColumnsAreIndexed(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase("film_keys");
        mysql.execute("film_keys", "CREATE TABLE keyed (k_bin VARBINARY(8), k_date DATE, k_dec DECIMAL(20,4), k_ubig BIGINT UNSIGNED,"
                        + " k_dt DATETIME(6), k_time TIME(6), note VARCHAR(20), secret VARCHAR(20),"
                        + " PRIMARY KEY (k_bin, k_date, k_dec, k_ubig, k_dt, k_time))",
                "INSERT INTO keyed VALUES (X'00FF10', '1000-01-01', -12345678.9876, 18446744073709551615,"
                        + " '9999-12-31 23:59:59.999999', '-838:59:59', 'current A', 'never index me'),"
                        + " (X'', '2026-07-04', 0.5000, 0, '2026-07-04 12:00:00.000001', '00:00:00.5', 'current B', 'nor me')");
        task = lookupTask(mysql, es, "keyed-lookup", Map.of());

        // Key and row schemas as Debezium gives them (precise decimals); the row leaves out 'secret', as
        // Debezium's column.exclude.list would.
        org.apache.kafka.connect.data.SchemaBuilder key = org.apache.kafka.connect.data.SchemaBuilder.struct().name("film_keys.keyed.Key")
                .field("k_bin", org.apache.kafka.connect.data.Schema.BYTES_SCHEMA)
                .field("k_date", org.apache.kafka.connect.data.SchemaBuilder.int32().name("io.debezium.time.Date").build())
                .field("k_dec", org.apache.kafka.connect.data.Decimal.schema(4))
                .field("k_ubig", org.apache.kafka.connect.data.Decimal.schema(0))
                .field("k_dt", org.apache.kafka.connect.data.SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build())
                .field("k_time", org.apache.kafka.connect.data.SchemaBuilder.int64().name("io.debezium.time.MicroTime").build());
        org.apache.kafka.connect.data.Schema keySchema = key.build();
        org.apache.kafka.connect.data.SchemaBuilder row = org.apache.kafka.connect.data.SchemaBuilder.struct().name("film_keys.keyed.Value").optional();
        keySchema.fields().forEach(f -> row.field(f.name(), f.schema()));
        org.apache.kafka.connect.data.Schema rowSchema = row.field("note", org.apache.kafka.connect.data.Schema.OPTIONAL_STRING_SCHEMA).build();
        org.apache.kafka.connect.data.Schema event = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("uuid", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).field("type", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("ts", org.apache.kafka.connect.data.Schema.INT64_SCHEMA).field("entity", org.apache.kafka.connect.data.Schema.STRING_SCHEMA)
                .field("id", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).field("position", org.apache.kafka.connect.data.Schema.INT64_SCHEMA)
                .field("before", rowSchema).field("after", rowSchema).build();
        long maxTime = (838L * 3_600 + 59 * 60 + 59) * 1_000_000L;
        Object[][] keys = {
            {new byte[] {0, (byte) 0xFF, 0x10}, -354_285, new java.math.BigDecimal("-12345678.9876"),
                new java.math.BigDecimal("18446744073709551615"), 253_402_300_799_999_999L, -maxTime},
            {new byte[0], 20_638, new java.math.BigDecimal("0.5000"), java.math.BigDecimal.ZERO, 1_783_166_400_000_001L, 500_000L},
            {new byte[] {1}, 20_638, java.math.BigDecimal.ONE.setScale(4), java.math.BigDecimal.ONE, 0L, 0L},
        };
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < keys.length; i++) {
            org.apache.kafka.connect.data.Struct k = new org.apache.kafka.connect.data.Struct(keySchema);
            org.apache.kafka.connect.data.Struct after = new org.apache.kafka.connect.data.Struct(rowSchema).put("note", "stale");
            for (int c = 0; c < keys[i].length; c++) {
                k.put(keySchema.fields().get(c), keys[i][c]);
                after.put(keySchema.fields().get(c).name(), keys[i][c]);
            }
            org.apache.kafka.connect.data.Struct value = new org.apache.kafka.connect.data.Struct(event).put("uuid", "u" + i)
                    .put("type", "UPDATE").put("ts", 1L).put("entity", "film_keys.keyed").put("id", "row-" + i)
                    .put("position", 10L + i).put("after", after);
            records.add(new SinkRecord(Events.TOPIC, 0, keySchema, k, event, value, i));
        }
        deliver(task, records, keys.length);

        Map<String, JsonNode> docs = ElasticsearchSinkTaskIT.documents(es, "keyed-lookup");
        assertThat(docs).as("the third key has no row: its document is deleted").containsOnlyKeys("row-0", "row-1");
        assertThat(docs.get("row-0").get("note").asText()).isEqualTo("current A");
        // The row's own values, as the event path writes them.
        assertThat(docs.get("row-0").get("k_time").asText()).isEqualTo("-838:59:59");
        assertThat(docs.get("row-0").get("k_date").asText()).isEqualTo("1000-01-01");
        assertThat(docs.get("row-0").get("k_ubig").bigIntegerValue()).hasToString("18446744073709551615");
        assertThat(docs.get("row-0").get("k_bin").asText()).isEqualTo("AP8Q");
        assertThat(docs.get("row-1").get("k_time").asText()).isEqualTo("00:00:00.5");
        assertThat(docs.get("row-1").get("note").asText()).isEqualTo("current B");
        assertThat(docs.values()).allSatisfy(doc -> assertThat(doc.has("secret")).as("a column the source does not capture").isFalse());
    }

    /** A started task in lookup mode, reading the source as the connector user, writing the topic to {@code index}. */
    private static ElasticsearchSinkTask lookupTask(MySqlServer mysql, ElasticsearchServer es, String index, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "lookup-it-" + index);
        props.put("connection.url", es.url());
        props.put("topic.index.map", Events.TOPIC + ":" + index);
        props.put("index.replicas", "0");
        props.put("document.source", "lookup");
        props.put("lookup.connection.url", "jdbc:mysql://127.0.0.1:" + mysql.port() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true");
        props.put("lookup.connection.user", SqlServer.CDC_USER);
        props.put("lookup.connection.password", SqlServer.CDC_PASSWORD);
        props.putAll(extra);
        ElasticsearchSinkTask task = new ElasticsearchSinkTask();
        task.initialize(new RecordingSinkContext(PARTITION));
        task.start(props);
        return task;
    }

    private static void deliver(ElasticsearchSinkTask task, List<SinkRecord> records, long upTo) {
        task.put(records);
        TaskAcks.awaitCommittable(task, upTo, Duration.ofSeconds(60));
    }

    /** The server's count of SELECTs so far (reading it may itself count: the test measures that as probeCost). */
    private static long comSelect(MySqlServer mysql) throws Exception {
        try (Connection c = mysql.connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
