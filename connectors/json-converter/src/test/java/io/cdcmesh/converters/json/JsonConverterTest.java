package io.cdcmesh.converters.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonConverterTest {
    private static final Schema ROW = SchemaBuilder.struct().name("shop.items.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA)
            .field("score", Schema.OPTIONAL_INT32_SCHEMA)
            .field("price", Decimal.builder(2).optional().build())
            .optional().build();
    private static final Schema EVENT = SchemaBuilder.struct().name("cdc.Event")
            .field("type", Schema.STRING_SCHEMA)
            .field("position", Schema.INT64_SCHEMA)
            .field("after", ROW)
            .build();

    private static org.apache.kafka.connect.json.JsonConverter kafka(Map<String, Object> settings) {
        org.apache.kafka.connect.json.JsonConverter kafka = new org.apache.kafka.connect.json.JsonConverter();
        kafka.configure(settings, false);
        return kafka;
    }

    private static JsonConverter ours(Map<String, Object> settings) {
        JsonConverter ours = new JsonConverter();
        ours.configure(settings, false);
        return ours;
    }

    private static Struct event(int id, String name, Integer score) {
        Struct after = new Struct(ROW).put("id", id).put("name", name).put("score", score).put("price", new BigDecimal("12.50"));
        return new Struct(EVENT).put("type", "UPDATE").put("position", 42L + id).put("after", after);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BASE64", "NUMERIC"})
    void readsWhatKafkasConverterReadsForRandomSchemasAndValues(String decimalFormat) {
        Map<String, Object> settings = Map.of("decimal.format", decimalFormat);
        org.apache.kafka.connect.json.JsonConverter kafka = kafka(settings);
        JsonConverter ours = ours(settings);
        RandomData random = new RandomData(decimalFormat.hashCode());
        int records = 0;
        for (int s = 0; s < 300; s++) {
            Schema schema = random.struct(3);
            for (int v = 0; v < 10; v++) {
                byte[] bytes = kafka.fromConnectData("t", schema, random.value(schema));
                SchemaAndValue expected = kafka.toConnectData("t", bytes);
                SchemaAndValue actual = ours.toConnectData("t", bytes);
                // Compared in their JSON form: a default value holding byte arrays makes two equal schemas unequal.
                assertThat(kafka.asJsonSchema(actual.schema())).as("schema of %s", new String(bytes, StandardCharsets.UTF_8))
                        .isEqualTo(kafka.asJsonSchema(expected.schema()));
                // The one difference in values: Kafka's reads -0.0 as 0.0 (through a BigDecimal); ours keeps the sign.
                assertThat(unsignedZeros(canonical(actual.value()))).as("value of %s", new String(bytes, StandardCharsets.UTF_8))
                        .isEqualTo(canonical(expected.value()));
                records++;
            }
        }
        assertThat(records).isEqualTo(3000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BASE64", "NUMERIC", "BASE64,no-default", "NUMERIC,no-envelope"})
    void writesWhatKafkasConverterWritesForRandomSchemasAndValues(String variant) {
        Map<String, Object> settings = new HashMap<>();
        settings.put("decimal.format", variant.split(",")[0]);
        settings.put("replace.null.with.default", !variant.endsWith("no-default"));
        settings.put("schemas.enable", !variant.endsWith("no-envelope"));
        org.apache.kafka.connect.json.JsonConverter kafka = kafka(settings);
        JsonConverter ours = ours(settings);
        RandomData random = new RandomData(variant.hashCode());
        int records = 0;
        for (int s = 0; s < 300; s++) {
            Schema schema = random.struct(3);
            for (int v = 0; v < 10; v++) {
                Object value = random.value(schema);
                byte[] expected = kafka.fromConnectData("t", schema, value);
                assertThat(new String(ours.fromConnectData("t", schema, value), StandardCharsets.UTF_8))
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                records++;
            }
        }
        assertThat(records).isEqualTo(3000);
    }

    @Test
    void writingRefusesWhatKafkasConverterRefusesWithItsMessage() {
        Struct wrong = new Struct(SchemaBuilder.struct().field("x", Schema.INT32_SCHEMA).build()).put("x", 1);
        Throwable kafkas = catchThrowable(() -> kafka(Map.of()).fromConnectData("t", EVENT, wrong));
        assertThat(kafkas).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> ours(Map.of()).fromConnectData("t", EVENT, wrong)).isInstanceOf(DataException.class)
                .hasMessage(kafkas.getMessage());
        assertThat(ours(Map.of()).fromConnectData("t", null, null)).isNull();
    }

    @Test
    void tombstoneIsNull() {
        assertThat(ours(Map.of()).toConnectData("t", null)).isEqualTo(SchemaAndValue.NULL);
    }

    @Test
    void aRepeatedSchemaIsParsedOnce() {
        JsonConverter ours = ours(Map.of());
        org.apache.kafka.connect.json.JsonConverter kafka = kafka(Map.of());
        for (int i = 0; i < 100; i++) {
            SchemaAndValue read = ours.toConnectData("t", kafka.fromConnectData("t", EVENT, event(i, "n" + i, i)));
            assertThat(read.value()).isEqualTo(event(i, "n" + i, i));
        }
        assertThat(ours.cachedSchemas()).isEqualTo(1);
    }

    @Test
    void manySchemasInTurnAreEachReadRightly() {
        JsonConverter ours = ours(Map.of("schemas.cache.size", 5));
        org.apache.kafka.connect.json.JsonConverter kafka = kafka(Map.of());
        List<Schema> schemas = new ArrayList<>();
        for (int s = 0; s < 20; s++) {
            schemas.add(SchemaBuilder.struct().name("s" + s).field("f" + s, Schema.INT32_SCHEMA).build());
        }
        for (int round = 0; round < 3; round++) {
            for (int s = 0; s < 20; s++) {
                Struct value = new Struct(schemas.get(s)).put("f" + s, round * 100 + s);
                assertThat(ours.toConnectData("t", kafka.fromConnectData("t", schemas.get(s), value)))
                        .isEqualTo(new SchemaAndValue(schemas.get(s), value));
            }
        }
        assertThat(ours.cachedSchemas()).isEqualTo(5);
    }

    @Test
    void aValueOfTheWrongJsonTypeIsRefusedNamingTheField() {
        byte[] bytes = kafka(Map.of()).fromConnectData("t", EVENT, event(1, "a", 3));
        String json = new String(bytes, StandardCharsets.UTF_8).replace("\"score\":3", "\"score\":\"three\"");
        assertThat(json).contains("\"three\"");
        JsonConverter ours = ours(Map.of());
        ours.toConnectData("t", bytes);
        assertThatThrownBy(() -> ours.toConnectData("t", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DataException.class)
                .hasMessage("field 'after.score': Expected a number for INT32, found a string");
    }

    @Test
    void aMissingRequiredFieldIsRefusedNamingTheField() {
        String json = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\","
                + "\"optional\":false,\"field\":\"id\"}],\"optional\":false,\"field\":\"after\"}],\"optional\":false},"
                + "\"payload\":{\"after\":{}}}";
        assertThatThrownBy(() -> ours(Map.of()).toConnectData("t", json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(DataException.class)
                .hasMessage("field 'after.id': Invalid null value for required INT32 field");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void nullsBecomeTheDefaultPerReplaceNullWithDefault(boolean replace) {
        String json = "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":true,\"default\":7,"
                + "\"field\":\"n\"},{\"type\":\"string\",\"optional\":true,\"default\":\"x\",\"field\":\"s\"}],\"optional\":false},"
                + "\"payload\":{\"n\":null}}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Map<String, Object> settings = Map.of("replace.null.with.default", replace);
        Struct read = (Struct) ours(settings).toConnectData("t", bytes).value();
        assertThat(read).isEqualTo(kafka(settings).toConnectData("t", bytes).value());
        assertThat(read.getWithoutDefault("n")).isEqualTo(replace ? 7 : null);
        assertThat(read.getWithoutDefault("s")).isEqualTo(replace ? "x" : null);
    }

    @Test
    void negativeZerosKeepTheirSignWhereKafkasConverterDropsIt() {
        Schema schema = SchemaBuilder.struct().field("d", Schema.FLOAT64_SCHEMA).field("f", Schema.FLOAT32_SCHEMA).build();
        Struct value = new Struct(schema).put("d", -0.0).put("f", -0.0f);
        byte[] bytes = kafka(Map.of()).fromConnectData("t", schema, value);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).contains("\"d\":-0.0").contains("\"f\":-0.0");
        Struct read = (Struct) ours(Map.of()).toConnectData("t", bytes).value();
        assertThat(Double.compare(read.getFloat64("d"), -0.0)).isZero();
        assertThat(Float.compare(read.getFloat32("f"), -0.0f)).isZero();
        Struct kafkas = (Struct) kafka(Map.of()).toConnectData("t", bytes).value();
        assertThat(Double.compare(kafkas.getFloat64("d"), 0.0)).as("Kafka's converter drops the sign").isZero();
    }

    @Test
    void nonFiniteDoublesSurviveTheRoundTrip() {
        Schema schema = SchemaBuilder.struct().field("d", Schema.FLOAT64_SCHEMA).field("f", Schema.FLOAT32_SCHEMA)
                .field("e", Schema.FLOAT64_SCHEMA).build();
        Struct value = new Struct(schema).put("d", Double.NaN).put("f", Float.NEGATIVE_INFINITY).put("e", Double.POSITIVE_INFINITY);
        byte[] bytes = kafka(Map.of()).fromConnectData("t", schema, value);
        assertThat(ours(Map.of()).toConnectData("t", bytes).value()).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // payload first, pretty-printed, a null schema: other forms of the envelope
        "{\"payload\":5,\"schema\":{\"type\":\"int32\",\"optional\":false}}",
        "{ \"schema\" : { \"type\" : \"int32\" , \"optional\" : false } ,\n \"payload\" : 5 }\n",
        "{\"schema\":null,\"payload\":{\"a\":[1,2.5,\"x\"]}}",
        "{\"schema\":{\"type\":\"int64\",\"optional\":false},\"payload\":5}   ",
    })
    void otherFormsOfTheEnvelopeReadAsKafkaReadsThem(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertThat(ours(Map.of()).toConnectData("t", bytes)).isEqualTo(kafka(Map.of()).toConnectData("t", bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"schema\":{\"type\":\"int32\",\"optional\":false},\"payload\":5,\"extra\":1}",
        "{\"schema\":{\"type\":\"int32\",\"optional\":false}}",
        "{\"schema\":{\"type\":\"int32\",\"optional\":false},\"payload\":5",
        "[1,2]",
        "not json",
    })
    void malformedEnvelopesFailAsWithKafkasConverter(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonConverter ours = ours(Map.of());
        // The same schema seen first, so that the byte-compared fast path is tried too.
        ours.toConnectData("t", "{\"schema\":{\"type\":\"int32\",\"optional\":false},\"payload\":1}".getBytes(StandardCharsets.UTF_8));
        Throwable kafkas = catchThrowable(() -> kafka(Map.of()).toConnectData("t", bytes));
        assertThat(kafkas).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> ours.toConnectData("t", bytes)).isInstanceOf(DataException.class).hasMessage(kafkas.getMessage());
    }

    @Test
    void withoutSchemasItIsKafkasConverter() {
        Map<String, Object> settings = Map.of("schemas.enable", false);
        byte[] bytes = "{\"a\":1,\"b\":[true,null],\"c\":{\"d\":1.5}}".getBytes(StandardCharsets.UTF_8);
        assertThat(ours(settings).toConnectData("t", bytes)).isEqualTo(kafka(settings).toConnectData("t", bytes));
    }

    @Test
    void writesWhatKafkasConverterWrites() {
        assertThat(ours(Map.of()).fromConnectData("t", EVENT, event(1, "a", 2)))
                .isEqualTo(kafka(Map.of()).fromConnectData("t", EVENT, event(1, "a", 2)));
    }

    @Test
    void keyConvertersAreConfiguredAsKeys() {
        JsonConverter ours = new JsonConverter();
        ours.configure(Map.of("schemas.enable", "false"), true);
        assertThat(ours.toConnectData("t", "17".getBytes(StandardCharsets.UTF_8)).value()).isEqualTo(17L);
        assertThat(ours.config().names()).contains("schemas.enable", "decimal.format", "replace.null.with.default");
        assertThat(ours.version()).isNotBlank();
    }

    private static Throwable catchThrowable(Runnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    /** Connect data in a form whose equals compares contents all the way down (byte arrays inside lists and maps too). */
    /** -0.0 as 0.0, everywhere in a canonical value: what Kafka's converter reads for it. */
    private static Object unsignedZeros(Object value) {
        if (value instanceof Double d && d == 0.0) {
            return 0.0;
        }
        if (value instanceof Float f && f == 0.0f) {
            return 0.0f;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonConverterTest::unsignedZeros).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = map instanceof LinkedHashMap ? new LinkedHashMap<>() : new HashMap<>();
            map.forEach((k, v) -> out.put(unsignedZeros(k), unsignedZeros(v)));
            return out;
        }
        return value;
    }

    static Object canonical(Object value) {
        if (value instanceof byte[] bytes) {
            return ByteBuffer.wrap(bytes);
        }
        if (value instanceof Struct struct) {
            Map<String, Object> fields = new LinkedHashMap<>();
            for (Field field : struct.schema().fields()) {
                fields.put(field.name(), canonical(struct.get(field)));
            }
            return fields;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(JsonConverterTest::canonical).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new HashMap<>();
            map.forEach((k, v) -> out.put(canonical(k), canonical(v)));
            return out;
        }
        return value;
    }
}
