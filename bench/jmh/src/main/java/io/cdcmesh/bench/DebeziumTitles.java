package io.cdcmesh.bench;

import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Debezium MySQL change records of one table (titles), its schema instances shared as Debezium shares them, with the
 * source offsets Debezium 3.5 gives in GTID mode (docs/positions.md): four changes per transaction.
 */
final class DebeziumTitles {
    private static final String SERVER_UUID = "3e11fa47-71ca-11e1-9e33-c80aa9429562";

    private DebeziumTitles() {}

    /** {@code count} records: every fourth an insert, the others updates. */
    static SourceRecord[] records(int count) {
        Schema row = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("studio", Schema.OPTIONAL_STRING_SCHEMA)
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("budget", Decimal.builder(2).optional().build())
                .field("runtime_minutes", Schema.OPTIONAL_INT32_SCHEMA)
                .field("rating", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("updated_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
                .build();
        Schema source = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
                .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("db", Schema.STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA).field("server_id", Schema.INT64_SCHEMA)
                .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
                .field("thread", Schema.OPTIONAL_INT64_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("studio.film.titles.Envelope")
                .field("before", row).field("after", row).field("source", source)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        Schema key = SchemaBuilder.struct().name("studio.film.titles.Key").field("id", Schema.INT32_SCHEMA).build();

        SourceRecord[] records = new SourceRecord[count];
        for (int i = 0; i < count; i++) {
            Struct before = titleRow(row, i, 20_270);
            Struct after = titleRow(row, i, 20_240 + i % 30);
            boolean insert = i % 4 == 0;
            Struct value = new Struct(envelope)
                    .put("before", insert ? null : before).put("after", after)
                    .put("source", new Struct(source).put("version", "3.5.0.Final").put("connector", "mysql")
                            .put("name", "studio").put("ts_ms", 1_750_000_000_000L + i).put("db", "film")
                            .put("table", "titles").put("server_id", 1L).put("file", "mysql-bin.000042")
                            .put("pos", 4_000L + 1_000L * (i / 4)).put("row", i % 4).put("thread", 7L))
                    .put("op", insert ? "c" : "u").put("ts_ms", 1_750_000_000_005L + i);
            Map<String, Object> offset = Map.of("file", "mysql-bin.000042", "pos", 4_000L + 1_000L * (i / 4),
                    "gtids", SERVER_UUID + ":1-" + (1_000 + i / 4), "event", 2L * (i % 4 + 1), "row", 1);
            records[i] = new SourceRecord(Map.of("server", "studio"), offset, "studio.film.titles", 0,
                    key, new Struct(key).put("id", i), envelope, value);
        }
        return records;
    }

    private static Struct titleRow(Schema row, int id, int launchDate) {
        return new Struct(row).put("id", id).put("name", "Title " + id).put("studio", "Northlight")
                .put("launch_date", launchDate).put("budget", new BigDecimal("1250000.00"))
                .put("runtime_minutes", 90 + id % 60).put("rating", 7.5).put("updated_at", 1_750_000_000_000_000L);
    }
}
