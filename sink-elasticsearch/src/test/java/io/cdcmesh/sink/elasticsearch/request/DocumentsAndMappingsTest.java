package io.cdcmesh.sink.elasticsearch.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.sink.elasticsearch.index.IndexNames;
import io.cdcmesh.sink.elasticsearch.index.Mappings;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class DocumentsAndMappingsTest {
    private static final Schema POINT = SchemaBuilder.struct().name("io.debezium.data.geometry.Point").optional()
            .field("x", Schema.FLOAT64_SCHEMA).field("y", Schema.FLOAT64_SCHEMA).field("wkb", Schema.OPTIONAL_BYTES_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().name("db.t.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("d", SchemaBuilder.int32().name("io.debezium.time.Date").build())
            .field("t", SchemaBuilder.int64().name("io.debezium.time.MicroTime").build())
            .field("dt", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build())
            .field("ts", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build())
            .field("amount", Decimal.builder(4).build())
            .field("status", SchemaBuilder.string().name("io.debezium.data.Enum").build())
            .field("bin", Schema.BYTES_SCHEMA)
            .field("where", POINT)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .build();

    private static Struct row() {
        return new Struct(ROW).put("id", 7).put("d", 20_638).put("t", 86_399_123_456L).put("dt", 1_783_168_496_654_321L)
                .put("ts", "2026-07-04T12:34:56.654321Z").put("amount", new BigDecimal("1234567890123456.7891"))
                .put("status", "greenlit").put("bin", ByteBuffer.wrap(new byte[] {1, 2, 3, 4}))
                .put("where", new Struct(POINT).put("x", 13.4).put("y", 52.5));
    }

    @Test
    void debeziumTypesBecomeWhatTheirMappingExpects() {
        Map<String, Object> doc = DocumentConverter.document(row());
        assertThat(doc).containsEntry("id", 7).containsEntry("d", "2026-07-04").containsEntry("t", "23:59:59.123456")
                .containsEntry("dt", "2026-07-04T12:34:56.654321").containsEntry("ts", "2026-07-04T12:34:56.654321Z")
                .containsEntry("amount", new BigDecimal("1234567890123456.7891")).containsEntry("status", "greenlit")
                .containsEntry("bin", "AQIDBA==").containsEntry("where", Map.of("lat", 52.5, "lon", 13.4))
                .containsEntry("note", null);
    }

    @Test
    void documentWrittenStraightFromTheRowIsTheJsonOfItsMap() throws java.io.IOException {
        Schema inner = SchemaBuilder.struct().field("n", Schema.INT16_SCHEMA).field("f", Schema.OPTIONAL_FLOAT32_SCHEMA).build();
        Schema nested = SchemaBuilder.struct().name("db.n.Value")
                .field("row", ROW)
                .field("list", SchemaBuilder.array(inner).build())
                .field("tags", SchemaBuilder.map(Schema.STRING_SCHEMA, Schema.OPTIONAL_INT64_SCHEMA).build())
                .field("flag", Schema.BOOLEAN_SCHEMA)
                .field("small", Schema.INT8_SCHEMA)
                .field("ratio", Schema.FLOAT64_SCHEMA)
                .field("nan", Schema.FLOAT64_SCHEMA)
                .field("dates", SchemaBuilder.array(SchemaBuilder.int32().name("io.debezium.time.Date").build()).build())
                .field("withDefault", SchemaBuilder.string().optional().defaultValue("dflt").build())
                .build();
        Map<String, Long> tags = new java.util.LinkedHashMap<>();
        tags.put("a", 1L);
        tags.put("b", null);
        Struct value = new Struct(nested).put("row", row())
                .put("list", java.util.List.of(new Struct(inner).put("n", (short) 3).put("f", 1.5f), new Struct(inner).put("n", (short) -1)))
                .put("tags", tags).put("flag", true).put("small", (byte) -7).put("ratio", 0.1 + 0.2).put("nan", Double.NaN)
                .put("dates", java.util.List.of(0, 20_638));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator generator = json.getFactory().createGenerator(out)) {
            DocumentConverter.write(generator, value);
        }
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(json.writeValueAsString(DocumentConverter.document(value)))
                .contains("\"withDefault\":\"dflt\"", "\"dates\":[\"1970-01-01\",\"2026-07-04\"]", "\"nan\":\"NaN\"");
    }

    @Test
    void connectLogicalDatesAndTimestampsGiveTheSameDocumentAsDebeziumsTypes() {
        long millis = java.time.LocalDateTime.of(2026, 7, 4, 12, 34, 56, 654_000_000).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        org.apache.kafka.connect.data.Schema debezium = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("d", org.apache.kafka.connect.data.SchemaBuilder.int32().name("io.debezium.time.Date").build())
                .field("dt", org.apache.kafka.connect.data.SchemaBuilder.int64().name("io.debezium.time.Timestamp").build()).build();
        org.apache.kafka.connect.data.Schema logical = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("d", org.apache.kafka.connect.data.Date.SCHEMA)
                .field("dt", org.apache.kafka.connect.data.Timestamp.SCHEMA).build();
        Map<String, Object> fromDebezium = DocumentConverter.document(new Struct(debezium).put("d", 20_638).put("dt", millis));
        Map<String, Object> fromLogical = DocumentConverter.document(new Struct(logical)
                .put("d", new java.util.Date(20_638L * 86_400_000L)).put("dt", new java.util.Date(millis)));
        assertThat(fromLogical).isEqualTo(fromDebezium).containsEntry("d", "2026-07-04").containsEntry("dt", "2026-07-04T12:34:56.654");
        assertThat(Mappings.properties(logical)).isEqualTo(Mappings.properties(debezium));
    }

    @Test
    void mappingIsExplicitPerColumnType() {
        Map<String, Object> properties = Mappings.properties(ROW);
        assertThat(properties.get("id")).isEqualTo(Map.of("type", "integer"));
        assertThat(properties.get("d")).isEqualTo(Map.of("type", "date", "format", "strict_date"));
        assertThat(properties.get("t")).isEqualTo(Map.of("type", "keyword"));
        assertThat(properties.get("dt")).isEqualTo(Map.of("type", "date", "format", "strict_date_optional_time"));
        assertThat(properties.get("ts")).isEqualTo(Map.of("type", "date_nanos", "format", "strict_date_optional_time_nanos"));
        assertThat(properties.get("amount")).isEqualTo(Map.of("type", "double"));
        assertThat(properties.get("status")).isEqualTo(Map.of("type", "keyword"));
        assertThat(properties.get("bin")).isEqualTo(Map.of("type", "binary"));
        assertThat(properties.get("where")).isEqualTo(Map.of("type", "geo_point"));
        assertThat(((Map<?, ?>) properties.get("note")).get("type")).isEqualTo("text");
    }

    @Test
    void timeIsADurationOfUpTo838HoursEitherSign() {
        Schema schema = SchemaBuilder.struct().field("t", SchemaBuilder.int64().name("io.debezium.time.MicroTime").build())
                .field("ms", SchemaBuilder.int32().name("io.debezium.time.Time").build()).build();
        long max = (838L * 3_600 + 59 * 60 + 59) * 1_000_000L;
        assertThat(DocumentConverter.document(new Struct(schema).put("t", max).put("ms", 0)))
                .containsEntry("t", "838:59:59").containsEntry("ms", "00:00:00");
        assertThat(DocumentConverter.document(new Struct(schema).put("t", -max - 999_999).put("ms", -1)))
                .containsEntry("t", "-838:59:59.999999").containsEntry("ms", "-00:00:00.001");
    }

    @Test
    void aValueThatCannotBeWrittenNamesItsColumnNotItsValue() {
        // A schema that names a type its value does not have (as a converter set up for another source gives).
        Schema inner = SchemaBuilder.struct().name("inner").field("day", SchemaBuilder.string().name("io.debezium.time.Date").build()).build();
        Schema schema = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).field("nested", inner).build();
        Struct row = new Struct(schema).put("id", 1).put("nested", new Struct(inner).put("day", "ROW-SENTINEL"));
        assertThatThrownBy(() -> DocumentConverter.document(row)).isInstanceOf(UnwritableValueException.class)
                .hasMessageStartingWith("column 'nested.day': ").hasMessageNotContaining("ROW-SENTINEL")
                .satisfies(e -> assertThat(((UnwritableValueException) e).column()).isEqualTo("nested.day"));
        assertThatThrownBy(() -> DocumentConverter.write(new com.fasterxml.jackson.databind.ObjectMapper().getFactory()
                .createGenerator(new java.io.StringWriter()), row)).isInstanceOf(UnwritableValueException.class)
                .hasMessageStartingWith("column 'nested.day': ");
    }

    @Test
    void sizeEstimateCoversBytesAndNestedValues() {
        Schema inner = SchemaBuilder.struct().field("blob", Schema.BYTES_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().field("blob", Schema.BYTES_SCHEMA).field("nested", inner)
                .field("text", Schema.STRING_SCHEMA).build();
        byte[] mib = new byte[1 << 20];
        Struct row = new Struct(schema).put("blob", mib).put("nested", new Struct(inner).put("blob", ByteBuffer.wrap(mib)))
                .put("text", "\uD83D\uDE00".repeat(1000));
        long base64 = 2L * Base64Length.of(mib.length);
        assertThat(ChangeActions.estimateBytes(row)).isGreaterThanOrEqualTo(base64 + 4_000);
        assertThat(ChangeActions.estimateBytes(Map.of("blob", mib, "nested", Map.of("blob", mib)))).isGreaterThanOrEqualTo(base64);
    }

    private static final class Base64Length {
        static long of(int bytes) {
            return java.util.Base64.getEncoder().encode(new byte[bytes]).length;
        }
    }

    @Test
    void namespacedIdsCarryTheTableEscapedSoThatNoTwoTablesShareAnId() {
        ChangeActions actions = new ChangeActions(new IndexNames("shared", Map.of()), true);
        Map<String, Object> value = new HashMap<>(Map.of("type", "DELETE", "id", "7", "entity", "db.t", "position", 1L, "ts", 1L));
        assertThat(actions.of(new SinkRecord("topic", 0, null, null, null, value, 1)).id()).isEqualTo("db.t|7");
        assertThat(ChangeActions.namespaced("db.a|b", "c")).isNotEqualTo(ChangeActions.namespaced("db.a", "b|c"))
                .isEqualTo("db.a\\|b|c");
        assertThat(actions.of(new SinkRecord("topic", 0, null, null, null, value, 1)).entity()).isEqualTo("db.t");
    }

    @Test
    void deleteEventBecomesAVersionedDelete() {
        ChangeActions actions = new ChangeActions(new IndexNames("${db}.${table}", Map.of()));
        Map<String, Object> value = new HashMap<>();
        value.put("type", "DELETE");
        value.put("id", "7");
        value.put("entity", "db.t");
        value.put("position", 42L);
        value.put("ts", 1L);
        ChangeAction action = actions.of(new SinkRecord("topic", 0, null, null, null, value, 5));
        assertThat(action.kind()).isEqualTo(ChangeAction.Kind.DELETE);
        assertThat(action.index()).isEqualTo("db.t");
        assertThat(action.id()).isEqualTo("7");
        assertThat(action.version()).isEqualTo(42L);
        assertThat(action.document()).isNull();
    }

    @Test
    void recordsThatAreNotChangeEventsAreRejectedNamingTheField() {
        ChangeActions actions = new ChangeActions(new IndexNames("${db}.${table}", Map.of()));
        assertThatThrownBy(() -> actions.of(new SinkRecord("topic", 0, null, null, null, Map.of("type", "CREATE"), 5)))
                .isInstanceOf(DataException.class).hasMessageContaining("'id'").hasMessageContaining("topic-0@5");
        Map<String, Object> tooLong = new HashMap<>(Map.of("type", "CREATE", "id", "x".repeat(600), "entity", "db.t",
                "position", 1L, "ts", 1L, "after", Map.of("a", 1)));
        assertThatThrownBy(() -> actions.of(new SinkRecord("topic", 0, null, null, null, tooLong, 6)))
                .isInstanceOf(DataException.class).hasMessageContaining("512 bytes");
    }
}
