package io.cdcmesh.sink.elasticsearch.request;

import com.fasterxml.jackson.core.JsonGenerator;
import io.cdcmesh.common.TimeText;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * A row image as the JSON document Elasticsearch indexes. With a schema, Debezium's semantic types become what
 * their mapping ({@link io.cdcmesh.sink.elasticsearch.index.Mappings}) expects: dates and timestamps as ISO-8601
 * strings, TIME as {@code [-]HH:MM:SS[.fraction]} (a duration of up to 838 hours, as MySQL holds it), decimals as
 * exact JSON numbers, bytes and bits as Base64, a point as {@code {lat, lon}}, other geometries as Base64 WKB. Without
 * a schema, values pass as the JSON converter produced them. A value that cannot be converted throws
 * {@link UnwritableValueException} naming its column.
 */
public final class DocumentConverter {
    private DocumentConverter() {}

    /**
     * Writes the document of {@code row} (a {@link Struct}, or a map) to {@code json}: the JSON of {@link #document},
     * without building the map first.
     */
    public static void write(JsonGenerator json, Object row) throws IOException {
        if (row instanceof Struct struct) {
            write(json, struct);
        } else {
            json.writeObject(row);
        }
    }

    private static void write(JsonGenerator json, Struct struct) throws IOException {
        json.writeStartObject();
        for (Field field : struct.schema().fields()) {
            json.writeFieldName(field.name());
            try {
                write(json, field.schema(), struct.get(field));
            } catch (UnwritableValueException | ClassCastException | DateTimeException | ArithmeticException | IllegalArgumentException e) {
                // What a value of the wrong shape or out of range throws; anything else is a defect and stops the task.
                throw UnwritableValueException.of(field.name(), field.schema().name(), e);
            }
        }
        json.writeEndObject();
    }

    private static void write(JsonGenerator json, Schema schema, Object value) throws IOException {
        if (value == null) {
            json.writeNull();
            return;
        }
        if (schema.name() == null) {
            switch (schema.type()) {
                case STRUCT:
                    write(json, (Struct) value);
                    return;
                case ARRAY:
                    json.writeStartArray();
                    for (Object item : (List<?>) value) {
                        write(json, schema.valueSchema(), item);
                    }
                    json.writeEndArray();
                    return;
                case MAP:
                    json.writeStartObject();
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                        json.writeFieldName(String.valueOf(e.getKey()));
                        write(json, schema.valueSchema(), e.getValue());
                    }
                    json.writeEndObject();
                    return;
                default:
                    break;
            }
        }
        Object converted = value(schema, value);
        if (converted instanceof String text) {
            json.writeString(text);
        } else if (converted instanceof Integer || converted instanceof Short || converted instanceof Byte) {
            json.writeNumber(((Number) converted).intValue());
        } else if (converted instanceof Long number) {
            json.writeNumber(number);
        } else if (converted instanceof Double number) {
            json.writeNumber(number);
        } else if (converted instanceof Float number) {
            json.writeNumber(number);
        } else if (converted instanceof BigDecimal number) {
            json.writeNumber(number);
        } else if (converted instanceof Boolean bool) {
            json.writeBoolean(bool);
        } else {
            json.writeObject(converted);
        }
    }

    public static Map<String, Object> document(Object row) {
        if (row instanceof Struct struct) {
            return struct(struct);
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) row;
        return map;
    }

    private static Map<String, Object> struct(Struct struct) {
        Map<String, Object> doc = new LinkedHashMap<>(struct.schema().fields().size() * 2);
        for (Field field : struct.schema().fields()) {
            try {
                doc.put(field.name(), value(field.schema(), struct.get(field)));
            } catch (UnwritableValueException | ClassCastException | DateTimeException | ArithmeticException | IllegalArgumentException e) {
                // What a value of the wrong shape or out of range throws; anything else is a defect and stops the task.
                throw UnwritableValueException.of(field.name(), field.schema().name(), e);
            }
        }
        return doc;
    }

    static Object value(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return IsoText.date(((Number) value).longValue());
                case "org.apache.kafka.connect.data.Date":
                    return IsoText.date(Math.floorDiv(((Date) value).getTime(), 86_400_000L));
                case "io.debezium.time.Time":
                    return TimeText.ofMillis(((Number) value).longValue());
                case "io.debezium.time.MicroTime":
                    return TimeText.ofMicros(((Number) value).longValue());
                case "io.debezium.time.NanoTime":
                    return TimeText.ofNanos(((Number) value).longValue());
                case "org.apache.kafka.connect.data.Time":
                    return TimeText.ofMillis(((Date) value).getTime());
                case "io.debezium.time.Timestamp":
                    return localDateTime(((Number) value).longValue(), 1_000L, 1_000_000L);
                case "io.debezium.time.MicroTimestamp":
                    return localDateTime(((Number) value).longValue(), 1_000_000L, 1_000L);
                case "io.debezium.time.NanoTimestamp":
                    return localDateTime(((Number) value).longValue(), 1_000_000_000L, 1L);
                case "org.apache.kafka.connect.data.Timestamp":
                    // As io.debezium.time.Timestamp: NormalizeChangeEvent's temporal.types=logical turns one into the
                    // other, and the document must not depend on that setting or on the converter.
                    return localDateTime(((Date) value).getTime(), 1_000L, 1_000_000L);
                case "org.apache.kafka.connect.data.Decimal":
                    return (BigDecimal) value;
                case "io.debezium.data.geometry.Point":
                    return point((Struct) value);
                case "io.debezium.data.geometry.Geometry":
                case "io.debezium.data.geometry.Geography":
                    return base64(((Struct) value).get("wkb"));
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case BYTES:
                return base64(value);
            case STRUCT:
                return struct((Struct) value);
            case ARRAY: {
                List<Object> out = new ArrayList<>();
                for (Object item : (List<?>) value) {
                    out.add(value(schema.valueSchema(), item));
                }
                return out;
            }
            case MAP: {
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
                    out.put(String.valueOf(e.getKey()), value(schema.valueSchema(), e.getValue()));
                }
                return out;
            }
            default:
                return value;
        }
    }

    private static String localDateTime(long amount, long perSecond, long nanosPerUnit) {
        long seconds = Math.floorDiv(amount, perSecond);
        long nanos = Math.floorMod(amount, perSecond) * nanosPerUnit;
        return IsoText.dateTime(seconds, (int) nanos);
    }

    private static Map<String, Object> point(Struct point) {
        Map<String, Object> geo = new LinkedHashMap<>();
        geo.put("lat", point.get("y"));
        geo.put("lon", point.get("x"));
        return geo;
    }

    private static String base64(Object bytes) {
        if (bytes instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] out = new byte[copy.remaining()];
            copy.get(out);
            return Base64.getEncoder().encodeToString(out);
        }
        return Base64.getEncoder().encodeToString((byte[]) bytes);
    }
}
