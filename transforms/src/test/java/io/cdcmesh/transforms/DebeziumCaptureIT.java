package io.cdcmesh.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.testkit.MariaDbExtension;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Captures what the real Debezium connectors emit from real MySQL 8 and MariaDB servers for a table of every
 * column type, a composite-key table and a table without a primary key, through snapshot, INSERT, UPDATE,
 * DELETE, a key change and a multi-statement transaction, and checks every field of the normalized events.
 */
@ExtendWith({MySqlExtension.class, MariaDbExtension.class})
class DebeziumCaptureIT {
    private static final String MYSQL_CONNECTOR = "io.debezium.connector.mysql.MySqlConnector";
    private static final String MARIADB_CONNECTOR = "io.debezium.connector.mariadb.MariaDbConnector";

    @Test
    void mysql8EnvelopesNormalizeToTheContract(MySqlServer mysql) throws Exception {
        captureAndCheck(mysql, MYSQL_CONNECTOR, Map.of());
    }

    @Test
    void mariadbEnvelopesNormalizeToTheContract(MariaDbServer mariadb) throws Exception {
        captureAndCheck(mariadb, MARIADB_CONNECTOR, Map.of("provide.transaction.metadata", "true"));
    }

    private void captureAndCheck(SqlServer server, String connector, Map<String, String> connectorConfig) throws Exception {
        String db = "capture_" + server.flavor();
        server.recreateDatabase(db);
        server.execute(db, ColumnTypes.CREATE_TABLE,
                "CREATE TABLE credits (title_id INT NOT NULL, person VARCHAR(64) NOT NULL, role VARCHAR(32),"
                        + " PRIMARY KEY (title_id, person))",
                "CREATE TABLE play_log (event_id VARCHAR(36) NOT NULL, title_id INT, minutes INT)",
                ColumnTypes.insert(1), "INSERT INTO all_types (id) VALUES (2)",
                "INSERT INTO credits VALUES (7, 'ada', 'director')",
                "INSERT INTO play_log VALUES ('e-1', 7, 90)");

        Map<String, String> config = new HashMap<>(connectorConfig);
        config.put("bigint.unsigned.handling.mode", "precise");
        Map<String, String> smtConfig = Map.of("key.columns", db + ".play_log:event_id");
        List<SourceRecord> raw;
        try (CapturingEngine engine = new CapturingEngine(server, connector, db, WorkDir.fresh("capture-" + server.flavor()), config)) {
            engine.await("4 snapshot rows", 4, rowChange("r"));
            server.execute(db, ColumnTypes.insert(3),
                    "UPDATE all_types SET c_varchar = 'Orbit 🛰', c_int = 42, c_dec = -0.0001 WHERE id = 3",
                    "INSERT INTO play_log VALUES ('e-2', 7, 12)",
                    "UPDATE play_log SET minutes = 15 WHERE event_id = 'e-2'",
                    "DELETE FROM play_log WHERE event_id = 'e-1'");
            try (Connection c = server.connect(db); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                s.execute("INSERT INTO credits VALUES (7, 'a|b', 'writer'), (8, 'ada', 'producer')");
                s.execute("UPDATE credits SET role = 'lead' WHERE title_id = 7 AND person = 'ada'");
                s.execute("UPDATE credits SET role = 'star' WHERE title_id = 7 AND person = 'ada'");
                s.execute("DELETE FROM credits WHERE title_id = 8");
                c.commit();
            }
            server.execute(db, "UPDATE all_types SET id = 30 WHERE id = 3", "DELETE FROM all_types WHERE id = 1");
            // streamed: all_types c,u,(d+c for the key change),d; play_log c,u,d; credits c,c,u,u,d
            raw = engine.await("all streamed row changes", 4 + 13, rowChange(null));
            raw = engine.all();
        }

        NormalizeChangeEvent<SourceRecord> normalize = new NormalizeChangeEvent<>();
        normalize.configure(smtConfig);
        List<SourceRecord> rowChanges = new ArrayList<>();
        List<SourceRecord> events = new ArrayList<>();
        for (SourceRecord record : raw) {
            SourceRecord out = normalize.apply(record);
            if (rowChange(null).test(record)) {
                assertThat(out).as("row change from %s", record.topic()).isNotNull();
                rowChanges.add(record);
                events.add(out);
            } else {
                assertThat(out).as("tombstone, schema-change or transaction record from %s", record.topic()).isNull();
            }
        }
        assertThat(events).hasSize(17);

        for (int i = 0; i < events.size(); i++) {
            checkContract(db, rowChanges.get(i), events.get(i));
        }
        checkIds(db, events);
        checkPositions(db, events);
        checkUuidsAreUnique(events);
        checkColumnTypes(events, server.flavor());
        checkSchemalessPathAgrees(rowChanges, events, smtConfig);
        checkReReadingTheBinlogGivesTheSameUuids(server, connector, db, config, smtConfig, events);
    }

    private static void checkContract(String db, SourceRecord raw, SourceRecord event) {
        Struct envelope = (Struct) raw.value();
        Struct source = envelope.getStruct("source");
        Struct value = (Struct) event.value();
        String op = envelope.getString("op");
        String expectedType = Map.of("c", "CREATE", "r", "READ", "u", "UPDATE", "d", "DELETE").get(op);
        assertThat(value.getString("type")).isEqualTo(expectedType);
        assertThat(value.getInt64("ts")).isEqualTo(source.getInt64("ts_ms"));
        assertThat(value.getString("entity")).isEqualTo(db + "." + source.getString("table"));
        // The row images carry every value as Debezium gave it (rebuilt, not the same object: the table has a YEAR
        // column, whose binlog reading of 0000 the transform mends).
        assertThat(JsonText.of(value.getStruct("before"))).isEqualTo(JsonText.of(envelope.getStruct("before")));
        assertThat(JsonText.of(value.getStruct("after"))).isEqualTo(JsonText.of(envelope.getStruct("after")));
        assertThat(value.getStruct("after") == null).isEqualTo("d".equals(op));
        assertThat(value.getStruct("before") == null).isEqualTo("c".equals(op) || "r".equals(op));
        assertThat(UUID.fromString(value.getString("uuid")).version()).isEqualTo(5);
        assertThat((Object) event.headers().lastWithName("cdc.type").value()).isEqualTo(value.getString("type"));
        assertThat((Object) event.headers().lastWithName("cdc.uuid").value()).isEqualTo(value.getString("uuid"));
        assertThat((Object) event.headers().lastWithName("cdc.position").value()).isEqualTo(value.getInt64("position"));
        assertThat(event.topic()).isEqualTo(raw.topic());
        if (raw.key() != null) {
            assertThat(event.key()).isSameAs(raw.key());
        }
    }

    private static void checkIds(String db, List<SourceRecord> events) {
        Map<String, List<String>> idsByEntity = new LinkedHashMap<>();
        for (SourceRecord event : events) {
            Struct value = (Struct) event.value();
            idsByEntity.computeIfAbsent(value.getString("entity"), k -> new ArrayList<>()).add(value.getString("id"));
            if (value.getString("entity").endsWith(".play_log")) {
                assertThat(((Struct) event.key()).schema().fields()).extracting(f -> f.name()).containsExactly("event_id");
                assertThat(((Struct) event.key()).getString("event_id")).isEqualTo(value.getString("id"));
            }
        }
        assertThat(new HashSet<>(idsByEntity.get(db + ".all_types"))).containsExactlyInAnyOrder("1", "2", "3", "30");
        assertThat(new HashSet<>(idsByEntity.get(db + ".credits")))
                .as("composite ids: columns by name (person, title_id), '|' inside a value escaped")
                .containsExactlyInAnyOrder("ada|7", "a\\|b|7", "ada|8");
        assertThat(new HashSet<>(idsByEntity.get(db + ".play_log"))).containsExactlyInAnyOrder("e-1", "e-2");
    }

    /**
     * Snapshot rows share the snapshot's position; streamed changes never go back (docs/positions.md: a transaction's
     * changes share its position); changes of one id in different transactions strictly grow. The only ids changed
     * twice inside one transaction are in the credits transaction: ada|7 (two UPDATEs), ada|8 (INSERT, DELETE).
     * Ordinals: a table's snapshot rows share one; streamed changes strictly grow in (position, ordinal).
     */
    private static void checkPositions(String db, List<SourceRecord> events) {
        long snapshotPosition = -1;
        long last = -1;
        long lastOrdinal = -1;
        Map<String, Long> snapshotOrdinals = new HashMap<>();
        Map<String, Long> lastById = new HashMap<>();
        List<String> sameTransaction = new ArrayList<>();
        for (SourceRecord event : events) {
            Struct value = (Struct) event.value();
            long position = value.getInt64("position");
            String id = value.getString("entity") + "/" + value.getString("id");
            if ("READ".equals(value.getString("type"))) {
                assertThat(snapshotPosition == -1 || snapshotPosition == position).as("one snapshot position").isTrue();
                snapshotPosition = position;
                Long ordinal = snapshotOrdinals.putIfAbsent(value.getString("entity"), value.getInt64("ordinal"));
                assertThat(ordinal == null || ordinal.equals(value.getInt64("ordinal"))).as("one snapshot ordinal per table")
                        .isTrue();
            } else {
                assertThat(position).as("streamed after the snapshot, in binlog order").isGreaterThan(snapshotPosition)
                        .isGreaterThanOrEqualTo(last);
                long ordinal = value.getInt64("ordinal");
                if (position == last) {
                    assertThat(ordinal).as("ordinals within a transaction grow, at %s", id).isGreaterThan(lastOrdinal);
                }
                last = position;
                lastOrdinal = ordinal;
            }
            Long previous = lastById.put(id, position);
            if (previous != null) {
                assertThat(position).as("changes to %s in order", id).isGreaterThanOrEqualTo(previous);
                if (position == previous) {
                    sameTransaction.add(id);
                }
            }
        }
        assertThat(sameTransaction).containsExactly(db + ".credits/ada|7", db + ".credits/ada|8");
    }

    private static void checkUuidsAreUnique(List<SourceRecord> events) {
        Set<String> uuids = new HashSet<>();
        for (SourceRecord event : events) {
            assertThat(uuids.add(((Struct) event.value()).getString("uuid"))).as("uuid of %s is unique", event.value()).isTrue();
        }
    }

    /** The row images pass through as Debezium decoded them: one value per column type, checked. */
    private static void checkColumnTypes(List<SourceRecord> events, String flavor) {
        Struct created = events.stream().map(e -> (Struct) e.value())
                .filter(v -> v.getString("entity").endsWith(".all_types") && "CREATE".equals(v.getString("type"))
                        && "3".equals(v.getString("id")))
                .findFirst().orElseThrow().getStruct("after");
        ColumnTypes.expected(flavor).forEach((column, expected) -> {
            Object actual = created.get(column);
            if (actual instanceof ByteBuffer buffer) {
                actual = HexFormat.of().formatHex(buffer.duplicate().array());
            } else if (actual instanceof byte[] bytes) {
                actual = HexFormat.of().formatHex(bytes);
            } else if (actual instanceof Struct point && point.schema().field("x") != null) {
                actual = point.getFloat64("x") + "," + point.getFloat64("y");
            } else if (actual instanceof Struct geometry) {
                actual = geometry.getBytes("wkb").length > 0 ? "wkb" : "empty";
            }
            assertThat(actual).as("column %s", column).isEqualTo(expected);
        });
        Struct nulls = events.stream().map(e -> (Struct) e.value())
                .filter(v -> v.getString("entity").endsWith(".all_types") && "2".equals(v.getString("id")))
                .findFirst().orElseThrow().getStruct("after");
        ColumnTypes.expected(flavor).keySet().forEach(column -> assertThat(nulls.get(column)).as("null %s", column).isNull());
    }

    /**
     * The same changes through the JSON converter without schemas (with their source offsets, as a source task
     * hands them on) give the same uuid, type, ts, entity, id, position and ordinal.
     */
    private static void checkSchemalessPathAgrees(List<SourceRecord> raw, List<SourceRecord> events, Map<String, String> smtConfig) {
        JsonConverter keys = new JsonConverter();
        keys.configure(Map.of("schemas.enable", "false"), true);
        JsonConverter values = new JsonConverter();
        values.configure(Map.of("schemas.enable", "false"), false);
        NormalizeChangeEvent<SourceRecord> normalize = new NormalizeChangeEvent<>();
        normalize.configure(smtConfig);
        for (int i = 0; i < raw.size(); i++) {
            SourceRecord record = raw.get(i);
            Object key = keys.toConnectData(record.topic(), keys.fromConnectData(record.topic(), record.keySchema(), record.key())).value();
            Object value = values.toConnectData(record.topic(), values.fromConnectData(record.topic(), record.valueSchema(), record.value())).value();
            SourceRecord out = normalize.apply(new SourceRecord(record.sourcePartition(), record.sourceOffset(), record.topic(), 0,
                    null, key, null, value));
            Map<?, ?> schemaless = (Map<?, ?>) out.value();
            Struct expected = (Struct) events.get(i).value();
            for (String field : List.of("uuid", "type", "ts", "entity", "id", "position", "ordinal")) {
                assertThat(schemaless.get(field)).as("schemaless %s of event %d", field, i).isEqualTo(expected.get(field));
            }
        }
    }

    /** A second engine that reads the binlog from its start emits the same changes with the same uuids and positions. */
    private static void checkReReadingTheBinlogGivesTheSameUuids(SqlServer server, String connector, String db,
            Map<String, String> config, Map<String, String> smtConfig, List<SourceRecord> events) throws Exception {
        Map<String, Long> expected = new HashMap<>();
        for (SourceRecord event : events) {
            Struct value = (Struct) event.value();
            if (!"READ".equals(value.getString("type"))) {
                expected.put(value.getString("uuid"), value.getInt64("position"));
            }
        }
        Map<String, String> replayConfig = new HashMap<>(config);
        replayConfig.put("snapshot.mode", "never");
        Map<String, Long> replayed = new HashMap<>();
        try (CapturingEngine replay = new CapturingEngine(server, connector, db, WorkDir.fresh("replay-" + server.flavor()), replayConfig)) {
            // the binlog also holds the rows inserted before the first engine's snapshot: 4 more changes
            List<SourceRecord> again = replay.await("the binlog re-read", 17 - 4 + 4, rowChange(null));
            NormalizeChangeEvent<SourceRecord> normalize = new NormalizeChangeEvent<>();
            normalize.configure(smtConfig);
            for (SourceRecord record : again) {
                Struct value = (Struct) normalize.apply(record).value();
                replayed.put(value.getString("uuid"), value.getInt64("position"));
            }
        }
        assertThat(replayed).containsAllEntriesOf(expected);
    }

    private static Predicate<SourceRecord> rowChange(String op) {
        return r -> r.value() instanceof Struct s && s.schema().field("op") != null && (op == null || op.equals(s.getString("op")));
    }

    /** A table with a column of every MySQL type, and the values Debezium decodes them to. */
    static final class ColumnTypes {
        static final String CREATE_TABLE = "CREATE TABLE all_types (id INT PRIMARY KEY,"
                + " c_tinyint TINYINT, c_tinyint_u TINYINT UNSIGNED, c_smallint SMALLINT, c_smallint_u SMALLINT UNSIGNED,"
                + " c_mediumint MEDIUMINT, c_mediumint_u MEDIUMINT UNSIGNED, c_int INT, c_int_u INT UNSIGNED,"
                + " c_bigint BIGINT, c_bigint_u BIGINT UNSIGNED, c_dec DECIMAL(20,4), c_float FLOAT, c_double DOUBLE,"
                + " c_date DATE, c_time TIME(6), c_datetime DATETIME(6), c_timestamp TIMESTAMP(6) NULL, c_year YEAR,"
                + " c_char CHAR(10), c_varchar VARCHAR(255), c_text TEXT, c_binary BINARY(4), c_varbinary VARBINARY(16),"
                + " c_blob BLOB, c_enum ENUM('draft','greenlit','released'), c_set SET('action','drama','comedy'),"
                + " c_bit BIT(10), c_bool BOOLEAN, c_json JSON, c_point POINT, c_geometry GEOMETRY"
                + ") CHARACTER SET utf8mb4";

        static String insert(int id) {
            return "INSERT INTO all_types VALUES (" + id + ", -128, 255, -32768, 65535, -8388608, 16777215,"
                    + " -2147483648, 4294967295, -9223372036854775808, 18446744073709551615, 1234567890123456.7891,"
                    + " 1.5, 2.25, '2026-07-04', '23:59:59.123456', '2026-07-04 12:34:56.654321',"
                    + " '2026-07-04 12:34:56.654321', 2026, 'chär', 'Orbit 🚀 ☃', 'long text ✓', x'01020304', x'cafe',"
                    + " x'00ff', 'greenlit', 'action,comedy', b'1010101010', TRUE, '{\"a\": [1, 2]}',"
                    + " ST_GeomFromText('POINT(1 2)'), ST_GeomFromText('LINESTRING(0 0, 1 1)'))";
        }

        static Map<String, Object> expected(String flavor) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("c_tinyint", (short) -128);
            v.put("c_tinyint_u", (short) 255);
            v.put("c_smallint", (short) -32768);
            v.put("c_smallint_u", 65535);
            v.put("c_mediumint", -8388608);
            v.put("c_mediumint_u", 16777215);
            v.put("c_int", -2147483648);
            v.put("c_int_u", 4294967295L);
            v.put("c_bigint", Long.MIN_VALUE);
            v.put("c_bigint_u", new BigDecimal("18446744073709551615"));
            v.put("c_dec", new BigDecimal("1234567890123456.7891"));
            v.put("c_float", 1.5f);
            v.put("c_double", 2.25d);
            v.put("c_date", 20638);
            v.put("c_time", 86_399_123_456L);
            v.put("c_datetime", 1_783_168_496_654_321L);
            v.put("c_timestamp", "2026-07-04T12:34:56.654321Z");
            v.put("c_year", 2026);
            v.put("c_char", "chär");
            v.put("c_varchar", "Orbit 🚀 ☃");
            v.put("c_text", "long text ✓");
            v.put("c_binary", "01020304");
            v.put("c_varbinary", "cafe");
            v.put("c_blob", "00ff");
            v.put("c_enum", "greenlit");
            v.put("c_set", "action,comedy");
            v.put("c_bit", "aa02");
            v.put("c_bool", (short) 1);
            // MySQL's binlog carries binary JSON, which Debezium prints compactly; MariaDB's JSON is text
            v.put("c_json", "mysql".equals(flavor) ? "{\"a\":[1,2]}" : "{\"a\": [1, 2]}");
            v.put("c_point", "1.0,2.0");
            v.put("c_geometry", "wkb");
            return v;
        }

        private ColumnTypes() {}
    }
}
