package io.cdcmesh.sink.elasticsearch.index;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;

/**
 * The explicit Elasticsearch mapping of a row schema, chosen column type by column type:
 *
 * <ul>
 *   <li>integers: byte, short, integer, long; FLOAT: float; DOUBLE: double; BOOLEAN: boolean
 *   <li>DECIMAL: double for search and sorting; the document's source keeps the exact value
 *   <li>strings: text with a keyword sub-field ({@code .keyword}, up to 256 characters), as Elasticsearch's own
 *       dynamic mapping does; ENUM and SET: keyword; JSON: text
 *   <li>DATE and DATETIME: date (years 1000 to 9999 as MySQL allows; searched to the millisecond, the document's
 *       source keeps every digit); TIMESTAMP: date_nanos (its range, 1970 to 2038, fits); TIME: keyword
 *       ({@code [-]HH:MM:SS[.fraction]}, up to 838 hours); YEAR: integer
 *   <li>BINARY, BLOB, BIT: binary (Base64); POINT: geo_point; other geometries: binary (WKB)
 *   <li>nested structs: object; arrays: their element's mapping
 * </ul>
 */
public final class Mappings {
    private Mappings() {}

    public static Map<String, Object> properties(Schema rowSchema) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Field field : rowSchema.fields()) {
            properties.put(field.name(), mapping(field.schema()));
        }
        return properties;
    }

    static Map<String, Object> mapping(Schema schema) {
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date":
                    return Map.of("type", "date", "format", "strict_date");
                case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp",
                        "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp":
                    // Not date_nanos: it holds only 1970 to 2262, and DATETIME(1..6) runs from year 1000.
                    return Map.of("type", "date", "format", "strict_date_optional_time");
                case "io.debezium.time.ZonedTimestamp":
                    return Map.of("type", "date_nanos", "format", "strict_date_optional_time_nanos");
                case "io.debezium.time.Time", "io.debezium.time.MicroTime", "io.debezium.time.NanoTime",
                        "org.apache.kafka.connect.data.Time", "io.debezium.time.ZonedTime":
                    return Map.of("type", "keyword");
                case "io.debezium.time.Year":
                    return Map.of("type", "integer");
                case "org.apache.kafka.connect.data.Decimal", "io.debezium.data.VariableScaleDecimal":
                    return Map.of("type", "double");
                case "io.debezium.data.Enum", "io.debezium.data.EnumSet", "io.debezium.data.Uuid":
                    return Map.of("type", "keyword");
                case "io.debezium.data.Json":
                    return Map.of("type", "text");
                case "io.debezium.data.Bits":
                    return Map.of("type", "binary");
                case "io.debezium.data.geometry.Point":
                    return Map.of("type", "geo_point");
                case "io.debezium.data.geometry.Geometry", "io.debezium.data.geometry.Geography":
                    return Map.of("type", "binary");
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case INT8:
                return Map.of("type", "byte");
            case INT16:
                return Map.of("type", "short");
            case INT32:
                return Map.of("type", "integer");
            case INT64:
                return Map.of("type", "long");
            case FLOAT32:
                return Map.of("type", "float");
            case FLOAT64:
                return Map.of("type", "double");
            case BOOLEAN:
                return Map.of("type", "boolean");
            case BYTES:
                return Map.of("type", "binary");
            case STRUCT:
                return Map.of("type", "object", "properties", properties(schema));
            case ARRAY:
                return mapping(schema.valueSchema());
            case MAP:
                return Map.of("type", "object");
            case STRING:
            default:
                return Map.of("type", "text", "fields", Map.of("keyword", Map.of("type", "keyword", "ignore_above", 256)));
        }
    }
}
