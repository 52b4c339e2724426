package io.cdcmesh.sink.hive.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;

/**
 * Hive column types for Connect schemas (with Debezium's semantic types), and values as the text Hive reads for them.
 *
 * <ul>
 *   <li>integers, floats, booleans and strings map to their Hive twins; decimals to {@code DECIMAL(p,s)} when they
 *       fit Hive's 38 digits, else {@code STRING} (exact, never rounded);</li>
 *   <li>dates to {@code DATE}; timestamps without zone (ms, µs, ns) to {@code TIMESTAMP}, in UTC, keeping every
 *       digit; Debezium's {@code ZonedTimestamp} stays an ISO-8601 {@code STRING}, so the zone is kept;</li>
 *   <li>times of day, JSON, enums and sets to {@code STRING}; bytes and bits to {@code BINARY} (Base64 in text files);</li>
 *   <li>structs (e.g. geometry), arrays and maps to {@code STRING} holding JSON.</li>
 * </ul>
 */
public final class HiveTypes {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_PRECISION = 38;

    private HiveTypes() {}

    /** The Hive type for a field of this schema; without a schema (schemaless records), STRING. */
    public static String of(Schema schema) {
        if (schema == null) {
            return "STRING";
        }
        String name = schema.name();
        if (name != null) {
            switch (name) {
                case "org.apache.kafka.connect.data.Decimal": {
                    int scale = Integer.parseInt(schema.parameters().getOrDefault("scale", "0"));
                    String p = schema.parameters().get("connect.decimal.precision");
                    int precision = p == null ? MAX_PRECISION : Integer.parseInt(p);
                    if (precision > MAX_PRECISION || scale > precision || scale < 0) {
                        return "STRING";
                    }
                    return "DECIMAL(" + precision + "," + scale + ")";
                }
                case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date":
                    return "DATE";
                case "io.debezium.time.Timestamp", "io.debezium.time.MicroTimestamp", "io.debezium.time.NanoTimestamp",
                        "org.apache.kafka.connect.data.Timestamp":
                    return "TIMESTAMP";
                case "io.debezium.time.ZonedTimestamp", "io.debezium.time.Time", "io.debezium.time.MicroTime",
                        "io.debezium.time.NanoTime", "io.debezium.time.ZonedTime", "org.apache.kafka.connect.data.Time",
                        "io.debezium.data.Json", "io.debezium.data.Enum", "io.debezium.data.EnumSet":
                    return "STRING";
                case "io.debezium.data.Bits":
                    return "BINARY";
                default:
                    break;
            }
        }
        return switch (schema.type()) {
            case INT8 -> "TINYINT";
            case INT16 -> "SMALLINT";
            case INT32 -> "INT";
            case INT64 -> "BIGINT";
            case FLOAT32 -> "FLOAT";
            case FLOAT64 -> "DOUBLE";
            case BOOLEAN -> "BOOLEAN";
            case BYTES -> "BINARY";
            default -> "STRING";
        };
    }

    /** The value as Hive's text form for the column type {@link #of(Schema)} gives; null stays null. */
    public static String text(Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        String name = schema == null ? null : schema.name();
        if (name != null) {
            switch (name) {
                case "org.apache.kafka.connect.data.Decimal":
                    return ((BigDecimal) value).toPlainString();
                case "io.debezium.time.Date":
                    return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
                case "org.apache.kafka.connect.data.Date":
                    return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
                case "io.debezium.time.Timestamp":
                    return timestamp(Instant.ofEpochMilli(((Number) value).longValue()));
                case "org.apache.kafka.connect.data.Timestamp":
                    return timestamp(((java.util.Date) value).toInstant());
                case "io.debezium.time.MicroTimestamp": {
                    long micros = ((Number) value).longValue();
                    return timestamp(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
                }
                case "io.debezium.time.NanoTimestamp": {
                    long nanos = ((Number) value).longValue();
                    return timestamp(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
                }
                case "io.debezium.time.Time":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
                case "io.debezium.time.MicroTime":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L).toString();
                case "io.debezium.time.NanoTime":
                    return LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
                case "org.apache.kafka.connect.data.Time":
                    return LocalTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
                default:
                    break;
            }
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof Struct || value instanceof List || value instanceof Map) {
            try {
                return JSON.writeValueAsString(plain(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return value.toString();
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]} in UTC, as Hive's TIMESTAMP text form. */
    public static String timestamp(Instant instant) {
        LocalDateTime t = LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
        String text = t.toLocalDate() + " " + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        int nanos = t.getNano();
        if (nanos == 0) {
            return text;
        }
        String fraction = String.format("%09d", nanos);
        int end = fraction.length();
        while (fraction.charAt(end - 1) == '0') {
            end--;
        }
        return text + "." + fraction.substring(0, end);
    }

    private static Object plain(Object value) {
        if (value instanceof Struct struct) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (Field field : struct.schema().fields()) {
                Object v = struct.get(field);
                map.put(field.name(), v instanceof Struct || v instanceof List || v instanceof Map ? plain(v)
                        : v instanceof byte[] || v instanceof ByteBuffer ? text(field.schema(), v) : v);
            }
            return map;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(v -> out.add(plain(v)));
            return out;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        return value;
    }
}
