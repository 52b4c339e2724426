package io.cdcmesh.sink.hive.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.common.TimeText;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
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
 * Hive column types for Connect schemas (with Debezium's semantic types), and values as the text Hive reads for them.
 *
 * <ul>
 *   <li>integers, floats, booleans and strings map to their Hive twins; decimals to {@code DECIMAL(p,s)} when they
 *       fit Hive's 38 digits, else {@code STRING} (exact, never rounded);</li>
 *   <li>dates to {@code DATE}; timestamps without zone (ms, µs, ns) to {@code TIMESTAMP}, in UTC, keeping every
 *       digit; Debezium's {@code ZonedTimestamp} stays an ISO-8601 {@code STRING}, so the zone is kept;</li>
 *   <li>TIME to {@code STRING} as {@code [-]HH:MM:SS[.fraction]} (a duration of up to 838 hours, as MySQL holds it);
 *       JSON, enums and sets to {@code STRING}; bytes and bits to {@code BINARY} (Base64 in text files);</li>
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

    /**
     * The digits a {@code DECIMAL(p,s)} column type holds, as {@code {p, s}}; null for any other type. A value with more
     * digits before or after the point is read back by Hive as NULL, so it must never be written there.
     */
    public static int[] decimalDigits(String hiveType) {
        if (!hiveType.startsWith("DECIMAL(")) {
            return null;
        }
        String[] ps = hiveType.substring(8, hiveType.length() - 1).split(",");
        return new int[] {Integer.parseInt(ps[0].trim()), Integer.parseInt(ps[1].trim())};
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
            case DEBEZIUM_DATE, CONNECT_DATE:
                return appendDate(new StringBuilder(10), epochDay(kind, value)).toString();
            case MILLI_TIMESTAMP, CONNECT_TIMESTAMP, MICRO_TIMESTAMP, NANO_TIMESTAMP:
                return appendTimestamp(new StringBuilder(29), epochSecond(kind, value), nanoOfSecond(kind, value)).toString();
            case MILLI_TIME:
                return TimeText.ofMillis(((Number) value).longValue());
            case MICRO_TIME:
                return TimeText.ofMicros(((Number) value).longValue());
            case NANO_TIME:
                return TimeText.ofNanos(((Number) value).longValue());
            case CONNECT_TIME:
                return TimeText.ofMillis(((Date) value).getTime());
            default:
                break;
        }
        if (value instanceof String string) {
            return string;
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return Base64.getEncoder().encodeToString(bytes(value));
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

    /** Whether values of this kind are dates (a DATE column). */
    public static boolean isDate(Kind kind) {
        return kind == Kind.DEBEZIUM_DATE || kind == Kind.CONNECT_DATE;
    }

    /** Whether values of this kind are timestamps without zone (a TIMESTAMP column). */
    public static boolean isTimestamp(Kind kind) {
        return kind == Kind.MILLI_TIMESTAMP || kind == Kind.CONNECT_TIMESTAMP || kind == Kind.MICRO_TIMESTAMP
                || kind == Kind.NANO_TIMESTAMP;
    }

    /** Days since 1970-01-01 of a date value ({@link #isDate}). */
    public static long epochDay(Kind kind, Object value) {
        return kind == Kind.CONNECT_DATE ? Math.floorDiv(((Date) value).getTime(), 86_400_000L) : ((Number) value).longValue();
    }

    /** Seconds since the epoch (UTC) of a timestamp value ({@link #isTimestamp}). */
    public static long epochSecond(Kind kind, Object value) {
        return switch (kind) {
            case MILLI_TIMESTAMP -> Math.floorDiv(((Number) value).longValue(), 1_000L);
            case CONNECT_TIMESTAMP -> Math.floorDiv(((Date) value).getTime(), 1_000L);
            case MICRO_TIMESTAMP -> Math.floorDiv(((Number) value).longValue(), 1_000_000L);
            case NANO_TIMESTAMP -> Math.floorDiv(((Number) value).longValue(), 1_000_000_000L);
            default -> throw new IllegalArgumentException(kind + " is not a timestamp");
        };
    }

    /** The nanoseconds within its second of a timestamp value ({@link #isTimestamp}). */
    public static int nanoOfSecond(Kind kind, Object value) {
        return switch (kind) {
            case MILLI_TIMESTAMP -> (int) Math.floorMod(((Number) value).longValue(), 1_000L) * 1_000_000;
            case CONNECT_TIMESTAMP -> (int) Math.floorMod(((Date) value).getTime(), 1_000L) * 1_000_000;
            case MICRO_TIMESTAMP -> (int) Math.floorMod(((Number) value).longValue(), 1_000_000L) * 1_000;
            case NANO_TIMESTAMP -> (int) Math.floorMod(((Number) value).longValue(), 1_000_000_000L);
            default -> throw new IllegalArgumentException(kind + " is not a timestamp");
        };
    }

    /** The bytes of a BYTES value (a byte array or a buffer's remaining bytes, copied). */
    public static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        return (byte[]) value;
    }

    /** {@code yyyy-MM-dd HH:mm:ss[.fraction]} in UTC, as Hive's TIMESTAMP text form. */
    public static String timestamp(Instant instant) {
        return appendTimestamp(new StringBuilder(29), instant.getEpochSecond(), instant.getNano()).toString();
    }

    /** Appends {@code yyyy-MM-dd HH:mm:ss[.fraction]} (UTC, trailing zeros of the fraction dropped). */
    public static StringBuilder appendTimestamp(StringBuilder text, long epochSecond, int nanos) {
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400L);
        appendDate(text, Math.floorDiv(epochSecond, 86_400L)).append(' ');
        two(text, secondOfDay / 3_600).append(':');
        two(text, secondOfDay / 60 % 60).append(':');
        two(text, secondOfDay % 60);
        if (nanos != 0) {
            text.append('.');
            int digits = 9;
            int fraction = nanos;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            for (int unit = POWERS_OF_TEN[digits - 1]; unit > 0; unit /= 10) {
                text.append((char) ('0' + fraction / unit % 10));
            }
        }
        return text;
    }

    private static final int[] POWERS_OF_TEN = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    /** Appends {@code yyyy-MM-dd}, as {@link LocalDate#toString()} writes it. */
    public static StringBuilder appendDate(StringBuilder text, long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int year = date.getYear();
        if (year < 0 || year > 9_999) {
            return text.append(date);
        }
        text.append((char) ('0' + year / 1_000)).append((char) ('0' + year / 100 % 10));
        two(text, year % 100).append('-');
        two(text, date.getMonthValue()).append('-');
        return two(text, date.getDayOfMonth());
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
