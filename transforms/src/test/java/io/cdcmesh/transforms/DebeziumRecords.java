package io.cdcmesh.transforms;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/** Hand-built Debezium MySQL change records, shaped as the connector emits them, with and without schemas. */
final class DebeziumRecords {
    static final String TOPIC = "studio.film.titles";
    static final long COMMIT_MS = 1_750_000_000_000L;

    static final Schema SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
            .field("version", Schema.STRING_SCHEMA)
            .field("connector", Schema.STRING_SCHEMA)
            .field("name", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.INT64_SCHEMA)
            .field("snapshot", SchemaBuilder.string().optional().defaultValue("false").build())
            .field("db", Schema.STRING_SCHEMA)
            .field("table", Schema.OPTIONAL_STRING_SCHEMA)
            .field("server_id", Schema.INT64_SCHEMA)
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA)
            .field("file", Schema.STRING_SCHEMA)
            .field("pos", Schema.INT64_SCHEMA)
            .field("row", Schema.INT32_SCHEMA)
            .field("thread", Schema.OPTIONAL_INT64_SCHEMA)
            .build();

    static final Schema TRANSACTION = SchemaBuilder.struct().name("event.block").optional()
            .field("id", Schema.STRING_SCHEMA)
            .field("total_order", Schema.INT64_SCHEMA)
            .field("data_collection_order", Schema.INT64_SCHEMA)
            .build();

    /** Every change gets its own binlog place unless a test sets one with {@link Change#at}. */
    private static final java.util.concurrent.atomic.AtomicLong NEXT_POS = new java.util.concurrent.atomic.AtomicLong(4_000);

    /** A table {@code film.<table>} with the given key columns (int) and a name and launch_date column. */
    static final class Table {
        final String name;
        final String[] keyColumns;
        final Schema keySchema;
        final Schema rowSchema;
        final Schema envelope;

        Table(String name, String... keyColumns) {
            this.name = name;
            this.keyColumns = keyColumns;
            String base = "studio.film." + name;
            SchemaBuilder key = SchemaBuilder.struct().name(base + ".Key");
            SchemaBuilder row = SchemaBuilder.struct().name(base + ".Value").optional();
            for (String column : keyColumns) {
                key.field(column, Schema.STRING_SCHEMA);
                row.field(column, Schema.STRING_SCHEMA);
            }
            if (keyColumns.length == 0) {
                row.field("event_id", Schema.STRING_SCHEMA);
            }
            row.field("title", Schema.OPTIONAL_STRING_SCHEMA);
            row.field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build());
            this.keySchema = keyColumns.length == 0 ? null : key.build();
            this.rowSchema = row.build();
            this.envelope = SchemaBuilder.struct().name(base + ".Envelope")
                    .field("before", rowSchema)
                    .field("after", rowSchema)
                    .field("source", SOURCE)
                    .field("transaction", TRANSACTION)
                    .field("op", Schema.STRING_SCHEMA)
                    .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA)
                    .build();
        }

        Struct row(Map<String, Object> values) {
            if (values == null) {
                return null;
            }
            Struct row = new Struct(rowSchema);
            values.forEach(row::put);
            return row;
        }
    }

    /** One change: its op, binlog coordinates, key values and row images. */
    static final class Change {
        final Table table;
        String op = "c";
        String file = "mysql-bin.000003";
        long pos = NEXT_POS.addAndGet(100);
        int row;
        String connector = "mysql";
        Long totalOrder;
        String gtidsBefore;
        Long transactionStart;
        long event = 2;
        String snapshot = "false";
        long serverId = 223_344;
        long commitMs = COMMIT_MS;
        Map<String, Object> before;
        Map<String, Object> after;
        final Map<String, Object> key = new LinkedHashMap<>();

        Change(Table table) {
            this.table = table;
        }

        Change op(String op) {
            this.op = op;
            if ("r".equals(op)) {
                snapshot = "true";
            }
            return this;
        }

        /** The source's ts_ms: the commit time, or for a snapshot row the table's snapshot start. */
        Change ts(long ms) {
            this.commitMs = ms;
            return this;
        }

        Change at(String file, long pos, int row) {
            this.file = file;
            this.pos = pos;
            this.row = row;
            return this;
        }

        /** As Debezium's MariaDbConnector reports it: pos is the transaction's start, total_order orders inside it. */
        Change mariadb(String file, long transactionStart, int rowInEvent, long totalOrder) {
            this.connector = "mariadb";
            this.totalOrder = totalOrder;
            return at(file, transactionStart, rowInEvent);
        }

        /** Its transaction, as Debezium's source offset records it: the GTID set before it, and the event's number in it. */
        Change transaction(String gtidsBefore, long event) {
            this.gtidsBefore = gtidsBefore;
            this.event = event;
            return this;
        }

        /** Without GTIDs: the transaction's start in the binlog (the offset's pos), and the event's number in it. */
        Change transactionAt(long start, long event) {
            this.transactionStart = start;
            this.event = event;
            return this;
        }

        /** The source offset Debezium 3.5 gives this record (docs/positions.md). */
        Map<String, Object> offset() {
            Map<String, Object> offset = new LinkedHashMap<>();
            offset.put("file", file);
            offset.put("pos", transactionStart != null ? transactionStart : pos);
            if (gtidsBefore != null) {
                offset.put("gtids", gtidsBefore);
            }
            if (!"r".equals(op)) {
                offset.put("event", event);
                offset.put("row", row + 1);
            }
            return offset;
        }

        Change key(Object... columnValuePairs) {
            for (int i = 0; i < columnValuePairs.length; i += 2) {
                key.put((String) columnValuePairs[i], columnValuePairs[i + 1]);
            }
            return this;
        }

        Change before(Object... columnValuePairs) {
            before = pairs(columnValuePairs);
            return this;
        }

        Change after(Object... columnValuePairs) {
            after = pairs(columnValuePairs);
            return this;
        }

        Struct sourceStruct() {
            return new Struct(SOURCE).put("version", "3.5.0.Final").put("connector", connector).put("name", "studio")
                    .put("ts_ms", commitMs).put("snapshot", snapshot).put("db", "film").put("table", table.name)
                    .put("server_id", serverId).put("file", file).put("pos", pos).put("row", row);
        }

        SourceRecord withSchema() {
            Struct value = new Struct(table.envelope).put("before", table.row(before)).put("after", table.row(after))
                    .put("source", sourceStruct()).put("op", op).put("ts_ms", COMMIT_MS + 5)
                    .put("transaction", totalOrder == null ? null : new Struct(TRANSACTION).put("id", "0-2-8")
                            .put("total_order", totalOrder).put("data_collection_order", totalOrder));
            Struct keyStruct = null;
            if (table.keySchema != null) {
                keyStruct = new Struct(table.keySchema);
                key.forEach(keyStruct::put);
            }
            return new SourceRecord(Map.of("server", "studio"), offset(), TOPIC, 0,
                    table.keySchema, keyStruct, table.envelope, value);
        }

        /** The same record as a sink task gets it from a raw Debezium topic (no source offset), at offset 42. */
        SinkRecord withSchemaOnSinkSide() {
            SourceRecord r = withSchema();
            return new SinkRecord(r.topic(), 0, r.keySchema(), r.key(), r.valueSchema(), r.value(), 42L);
        }

        /** As the JSON converter with schemas.enable=false hands it to a sink: HashMaps, integers as Long. */
        SinkRecord schemaless() {
            Map<String, Object> source = new HashMap<>();
            Struct s = sourceStruct();
            SOURCE.fields().forEach(f -> {
                Object v = s.get(f);
                source.put(f.name(), v instanceof Integer i ? Long.valueOf(i) : v);
            });
            Map<String, Object> value = new HashMap<>();
            value.put("before", longs(before));
            value.put("after", longs(after));
            value.put("source", source);
            value.put("op", op);
            value.put("ts_ms", COMMIT_MS + 5);
            value.put("transaction", totalOrder == null ? null
                    : Map.of("id", "0-2-8", "total_order", totalOrder, "data_collection_order", totalOrder));
            Map<String, Object> keyMap = table.keySchema == null ? null : new HashMap<>(key);
            return new SinkRecord(TOPIC, 0, null, keyMap, null, value, 42L);
        }

        private static Map<String, Object> longs(Map<String, Object> row) {
            if (row == null) {
                return null;
            }
            Map<String, Object> out = new HashMap<>();
            row.forEach((k, v) -> out.put(k, v instanceof Integer i ? Long.valueOf(i) : v));
            return out;
        }

        private static Map<String, Object> pairs(Object... columnValuePairs) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < columnValuePairs.length; i += 2) {
                map.put((String) columnValuePairs[i], columnValuePairs[i + 1]);
            }
            return map;
        }
    }

    static final Table TITLES = new Table("titles", "id");

    /** An UPDATE of title 7's launch date from {@code from} to {@code to} (days since epoch). */
    static Change launchDateMoved(int from, int to) {
        return new Change(TITLES).op("u").key("id", "7")
                .before("id", "7", "title", "Orbit", "launch_date", from)
                .after("id", "7", "title", "Orbit", "launch_date", to);
    }

    static Change titleCreated(String id) {
        return new Change(TITLES).op("c").key("id", id).after("id", id, "title", "Orbit", "launch_date", 20_270);
    }

    private DebeziumRecords() {}
}
