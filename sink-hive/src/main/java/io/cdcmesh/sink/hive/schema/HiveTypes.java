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

    /** How a value of a schema is rendered; worked out once per column (see {@link ImagePlan}). */
    public enum Kind { DECIMAL, DEBEZIUM_DATE, CONNECT_DATE, MILLI_TIMESTAMP, CONNECT_TIMESTAMP, MICRO_TIMESTAMP, NANO_TIMESTAMP,
        MILLI_TIME, MICRO_TIME, NANO_TIME, CONNECT_TIME, OTHER }

    public static Kind kind(Schema schema) {
        String name = schema == null ? null : schema.name();
        if (name == null) {
            return Kind.OTHER;
        }
        return switch (name) {
            case "org.apache.kafka.connect.data.Decimal" -> Kind.DECIMAL;
            case "io.debezium.time.Date" -> Kind.DEBEZIUM_DATE;
            case "org.apache.kafka.connect.data.Date" -> Kind.CONNECT_DATE;
            case "io.debezium.time.Timestamp" -> Kind.MILLI_TIMESTAMP;
            case "org.apache.kafka.connect.data.Timestamp" -> Kind.CONNECT_TIMESTAMP;
            case "io.debezium.time.MicroTimestamp" -> Kind.MICRO_TIMESTAMP;
            case "io.debezium.time.NanoTimestamp" -> Kind.NANO_TIMESTAMP;
            case "io.debezium.time.Time" -> Kind.MILLI_TIME;
            case "io.debezium.time.MicroTime" -> Kind.MICRO_TIME;
            case "io.debezium.time.NanoTime" -> Kind.NANO_TIME;
            case "org.apache.kafka.connect.data.Time" -> Kind.CONNECT_TIME;
            default -> Kind.OTHER;
        };
    }

    /** The value as Hive's text form for the column type {@link #of(Schema)} gives; null stays null. */
    public static String text(Schema schema, Object value) {
        return text(kind(schema), value);
    }

    /** As {@link #text(Schema, Object)}, with the schema's {@link #kind} worked out beforehand. */
    public static String text(Kind kind, Object value) {
        if (value == null) {
            return null;
        }
        switch (kind) {
            case DECIMAL:
                return ((BigDecimal) value).toPlainString();
            case DEBEZIUM_DATE:
                return LocalDate.ofEpochDay(((Number) value).longValue()).toString();
            case CONNECT_DATE:
                return LocalDate.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
            case MILLI_TIMESTAMP:
                return timestamp(Instant.ofEpochMilli(((Number) value).longValue()));
            case CONNECT_TIMESTAMP:
                return timestamp(((java.util.Date) value).toInstant());
            case MICRO_TIMESTAMP: {
                long micros = ((Number) value).longValue();
                return timestamp(Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L));
            }
            case NANO_TIMESTAMP: {
                long nanos = ((Number) value).longValue();
                return timestamp(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L)));
            }
            case MILLI_TIME:
                return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000_000L).toString();
            case MICRO_TIME:
                return LocalTime.ofNanoOfDay(((Number) value).longValue() * 1_000L).toString();
            case NANO_TIME:
                return LocalTime.ofNanoOfDay(((Number) value).longValue()).toString();
            case CONNECT_TIME:
                return LocalTime.ofInstant(((java.util.Date) value).toInstant(), ZoneOffset.UTC).toString();
            default:
                break;
        }
        if (value instanceof String string) {
            return string;
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
        StringBuilder text = new StringBuilder(29).append(t.toLocalDate()).append(' ');
        two(text, t.getHour()).append(':');
        two(text, t.getMinute()).append(':');
        two(text, t.getSecond());
        int nanos = t.getNano();
        if (nanos != 0) {
            String digits = Integer.toString(nanos);
            text.append('.');
            for (int pad = digits.length(); pad < 9; pad++) {
                text.append('0');
            }
            int end = digits.length();
            while (digits.charAt(end - 1) == '0') {
                end--;
            }
            text.append(digits, 0, end);
        }
        return text.toString();
    }

    private static StringBuilder two(StringBuilder text, int value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
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
