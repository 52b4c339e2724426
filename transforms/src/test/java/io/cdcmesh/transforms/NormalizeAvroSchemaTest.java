package io.cdcmesh.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.utils.converter.avro.AvroData;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.SchemaCompatibility;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The normalized event's schemas as an Avro converter sees them: valid names, logical types, stable across versions. */
class NormalizeAvroSchemaTest {
    private static final long JULY_1_2026_DAYS = 20_635;
    private static final long COMMIT_MS = 1_782_900_000_000L;

    private static final java.util.concurrent.atomic.AtomicLong NEXT_POS = new java.util.concurrent.atomic.AtomicLong(4_000);

    private final NormalizeChangeEvent<SourceRecord> smt = new NormalizeChangeEvent<>();
    private final AvroData avroData = new AvroData(100);

    @AfterEach
    void close() {
        smt.close();
    }

    @Test
    void namesFromDatabaseAndTableThatAreNotAvroNamesBecomeValidStableAvroNames() {
        smt.configure(Map.of());
        SourceRecord out = smt.apply(change("cdc", "my-db", "2024 sales", row(false)));

        assertThat(out.valueSchema().name()).isEqualTo("cdc.my_db._2024_sales.ChangeEvent");
        assertThat(out.keySchema().name()).isEqualTo("cdc.my_db._2024_sales.Key");
        assertThat(out.valueSchema().field("after").schema().name()).isEqualTo("cdc.my_db._2024_sales.Value");
        assertThat(((Struct) out.value()).getStruct("after").getString("title")).isEqualTo("Orbit");
        assertThat(((Struct) out.key()).getInt32("id")).isEqualTo(7);
        assertThat(((Struct) out.value()).getString("id")).isEqualTo("7");

        org.apache.avro.Schema avro = avroData.fromConnectSchema(out.valueSchema());
        assertThat(avro.getFullName()).isEqualTo("cdc.my_db._2024_sales.ChangeEvent");
        assertThat(avroData.fromConnectSchema(out.keySchema()).getFullName()).isEqualTo("cdc.my_db._2024_sales.Key");

        SourceRecord again = smt.apply(change("cdc", "my-db", "2024 sales", row(true)));
        assertThat(again.valueSchema().name()).as("a new schema version keeps the name").isEqualTo(out.valueSchema().name());
    }

    @Test
    void validNamesPassThroughUntouched() {
        smt.configure(Map.of());
        SourceRecord in = change("studio", "film", "titles", row(false));
        SourceRecord out = smt.apply(in);

        assertThat(out.keySchema()).isSameAs(in.keySchema());
        assertThat(out.valueSchema().field("after").schema()).isSameAs(in.valueSchema().field("after").schema());
        assertThat(out.valueSchema().name()).isEqualTo("studio.film.titles.ChangeEvent");
    }

    @Test
    void logicalTemporalTypesBecomeAvroLogicalTypesWithExactValues() {
        smt.configure(Map.of(NormalizeChangeEventConfig.TEMPORAL_TYPES, "logical"));
        SourceRecord out = smt.apply(change("studio", "film", "titles", row(false)));

        Schema after = out.valueSchema().field("after").schema();
        assertThat(after.field("launch_date").schema().name()).isEqualTo(org.apache.kafka.connect.data.Date.LOGICAL_NAME);
        assertThat(after.field("updated").schema().name()).isEqualTo(Timestamp.LOGICAL_NAME);
        assertThat(after.field("updated_micros").schema().name()).as("no exact Connect type: unchanged")
                .isEqualTo("io.debezium.time.MicroTimestamp");
        assertThat(after.field("launch_date").schema().defaultValue()).as("defaults converted too")
                .isEqualTo(new java.util.Date(JULY_1_2026_DAYS * 86_400_000L));
        Struct row = ((Struct) out.value()).getStruct("after");
        assertThat(row.get("launch_date")).isEqualTo(new java.util.Date(JULY_1_2026_DAYS * 86_400_000L));
        assertThat(row.get("updated")).isEqualTo(new java.util.Date(COMMIT_MS));
        assertThat(row.get("updated_micros")).isEqualTo(COMMIT_MS * 1000 + 17);
        assertThat(row.get("budget")).isEqualTo(new BigDecimal("1234.50"));

        org.apache.avro.Schema avroRow = avroData.fromConnectSchema(out.valueSchema()).getField("after").schema().getTypes().stream()
                .filter(s -> s.getType() == org.apache.avro.Schema.Type.RECORD).findFirst().orElseThrow();
        assertThat(logical(avroRow, "launch_date")).isEqualTo(LogicalTypes.date());
        assertThat(logical(avroRow, "updated")).isEqualTo(LogicalTypes.timestampMillis());
        assertThat(logical(avroRow, "budget")).isInstanceOf(LogicalTypes.Decimal.class);
        assertThat(((LogicalTypes.Decimal) logical(avroRow, "budget")).getScale()).isEqualTo(2);
    }

    @Test
    void aColumnAddedAtTheSourceGivesABackwardCompatibleAvroSchema() {
        smt.configure(Map.of(NormalizeChangeEventConfig.TEMPORAL_TYPES, "logical"));
        org.apache.avro.Schema v1 = avroData.fromConnectSchema(smt.apply(change("studio", "film", "titles", row(false))).valueSchema());
        org.apache.avro.Schema v2 = avroData.fromConnectSchema(smt.apply(change("studio", "film", "titles", row(true))).valueSchema());

        assertThat(v2).isNotEqualTo(v1);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType())
                .as("new reader reads old data").isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    private static org.apache.avro.LogicalType logical(org.apache.avro.Schema record, String field) {
        org.apache.avro.Schema type = record.getField(field).schema();
        if (type.getType() == org.apache.avro.Schema.Type.UNION) {
            type = type.getTypes().stream().filter(s -> s.getType() != org.apache.avro.Schema.Type.NULL).findFirst().orElseThrow();
        }
        return type.getLogicalType();
    }

    private static Struct row(boolean withAddedColumn) {
        SchemaBuilder builder = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA)
                .field("title", Schema.OPTIONAL_STRING_SCHEMA)
                .field("budget", Decimal.builder(2).optional().parameter("connect.decimal.precision", "12").build())
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").version(1).optional()
                        .defaultValue((int) JULY_1_2026_DAYS).build())
                .field("updated", SchemaBuilder.int64().name("io.debezium.time.Timestamp").version(1).optional().build())
                .field("updated_micros", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1).optional().build());
        if (withAddedColumn) {
            builder.field("rating", Schema.OPTIONAL_INT32_SCHEMA);
        }
        Schema schema = builder.build();
        Struct row = new Struct(schema).put("id", 7).put("title", "Orbit").put("budget", new BigDecimal("1234.50"))
                .put("launch_date", (int) JULY_1_2026_DAYS).put("updated", COMMIT_MS).put("updated_micros", COMMIT_MS * 1000 + 17);
        return withAddedColumn ? row.put("rating", 5) : row;
    }

    /** A Debezium MySQL insert of {@code after} into prefix.db.table, with schemas named as Debezium names them. */
    private static SourceRecord change(String prefix, String db, String table, Struct after) {
        String base = prefix + "." + db + "." + table;
        SchemaBuilder named = SchemaBuilder.struct().name(base + ".Value").optional();
        after.schema().fields().forEach(f -> named.field(f.name(), f.schema()));
        Schema rowSchema = named.build();
        Struct row = new Struct(rowSchema);
        after.schema().fields().forEach(f -> row.put(f.name(), after.get(f)));
        Schema key = SchemaBuilder.struct().name(base + ".Key").field("id", Schema.INT32_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name(base + ".Envelope")
                .field("before", rowSchema).field("after", rowSchema)
                .field("source", DebeziumRecords.SOURCE).field("op", Schema.STRING_SCHEMA)
                .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        Struct source = new Struct(DebeziumRecords.SOURCE).put("version", "3.3.2.Final").put("connector", "mysql")
                .put("name", prefix).put("ts_ms", COMMIT_MS).put("db", db).put("table", table).put("server_id", 1L)
                .put("file", "mysql-bin.000003").put("pos", NEXT_POS.addAndGet(100)).put("row", 0);
        Struct value = new Struct(envelope).put("after", row).put("source", source).put("op", "c").put("ts_ms", COMMIT_MS);
        return new SourceRecord(Map.of(), Map.of(), base, null, key, new Struct(key).put("id", 7), envelope, value);
    }
}
