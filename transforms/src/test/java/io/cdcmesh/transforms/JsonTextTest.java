package io.cdcmesh.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

class JsonTextTest {
    @Test
    void writesWhatKafkasSchemalessJsonConverterWrites() throws Exception {
        Schema inner = SchemaBuilder.struct().field("wkb", Schema.OPTIONAL_BYTES_SCHEMA).field("srid", Schema.OPTIONAL_INT32_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().field("id", Schema.INT64_SCHEMA).field("text", Schema.OPTIONAL_STRING_SCHEMA)
                .field("amount", Decimal.builder(2).optional().build()).field("where", inner)
                .field("tags", SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
                .field("ok", Schema.OPTIONAL_BOOLEAN_SCHEMA).field("ratio", Schema.OPTIONAL_FLOAT64_SCHEMA).build();
        Struct value = new Struct(schema).put("id", 7L).put("text", "quote \" backslash \\ newline \n tab \t bell \u0007 \uD83D\uDE00")
                .put("amount", new BigDecimal("-12345678901234567890.25"))
                .put("where", new Struct(inner).put("wkb", new byte[] {1, 2, 3}).put("srid", 4326))
                .put("tags", List.of("a", "b")).put("ok", true).put("ratio", -0.0);
        JsonConverter kafka = new JsonConverter();
        kafka.configure(Map.of("schemas.enable", "false", "decimal.format", "NUMERIC"), false);
        String expected = new String(kafka.fromConnectData("t", schema, value), java.nio.charset.StandardCharsets.UTF_8);
        // The same JSON value (Jackson escapes characters outside the BMP; the text here keeps them as they are).
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertThat(json.readTree(JsonText.of(value))).isEqualTo(json.readTree(expected));

        Map<String, Object> map = new LinkedHashMap<>();
        map.put("a", null);
        map.put("b", 1);
        assertThat(JsonText.of(map)).isEqualTo("{\"a\":null,\"b\":1}");
        assertThat(JsonText.of(null)).isNull();
    }
}
