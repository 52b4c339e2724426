package io.cdcmesh.sink.elasticsearch.lookup;

import io.cdcmesh.common.TimeText;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import org.apache.kafka.connect.data.Schema;

/**
 * Key columns of a lookup query: each value of the event's key bound as the JDBC type its column holds (Debezium gives
 * a DATE as days, a DATETIME as microseconds, a TIMESTAMP as ISO text, bytes as a buffer), and the key of each row read
 * back turned into the same canonical text, so that a key of any type finds its row. The lookup connection's session
 * time zone is UTC, as Debezium's values are.
 */
final class LookupKeys {
    /** How a key column's value is bound, read back and compared. */
    enum Kind { NUMBER, DECIMAL, TEXT, TIME, DATE, DATETIME, BYTES }

    /** A key column's value as a query parameter, and how to read its column back. */
    record Bound(Object parameter, Kind kind) {}

    private LookupKeys() {}

    /** The parameter for one key column's value; {@code schema} is the key field's schema (null without schemas). */
    static Bound bind(Schema schema, Object value) {
        String name = schema == null ? null : schema.name();
        if (name != null && value != null) {
            switch (name) {
                case "io.debezium.time.Date":
                    return new Bound(LocalDate.ofEpochDay(((Number) value).longValue()), Kind.DATE);
                case "org.apache.kafka.connect.data.Date":
                    return new Bound(LocalDate.ofEpochDay(Math.floorDiv(((Date) value).getTime(), 86_400_000L)), Kind.DATE);
                case "io.debezium.time.Timestamp":
                    return new Bound(dateTime(((Number) value).longValue(), 1_000L), Kind.DATETIME);
                case "org.apache.kafka.connect.data.Timestamp":
                    return new Bound(dateTime(((Date) value).getTime(), 1_000L), Kind.DATETIME);
                case "io.debezium.time.MicroTimestamp":
                    return new Bound(dateTime(((Number) value).longValue(), 1_000_000L), Kind.DATETIME);
                case "io.debezium.time.NanoTimestamp":
                    return new Bound(dateTime(((Number) value).longValue(), 1_000_000_000L), Kind.DATETIME);
                case "io.debezium.time.ZonedTimestamp":
                    return new Bound(LocalDateTime.ofInstant(Instant.parse((String) value), ZoneOffset.UTC), Kind.DATETIME);
                case "io.debezium.time.Time":
                    return new Bound(TimeText.ofMillis(((Number) value).longValue()), Kind.TIME);
                case "io.debezium.time.MicroTime":
                    return new Bound(TimeText.ofMicros(((Number) value).longValue()), Kind.TIME);
                case "io.debezium.time.NanoTime":
                    return new Bound(TimeText.ofNanos(((Number) value).longValue()), Kind.TIME);
                case "io.debezium.data.Bits":
                    return new Bound(reversed(bytes(value)), Kind.BYTES);
                default:
                    break;
            }
        }
        if (value instanceof BigDecimal || value instanceof BigInteger) {
            return new Bound(value instanceof BigInteger big ? new BigDecimal(big) : value, Kind.DECIMAL);
        }
        if (value instanceof byte[] || value instanceof ByteBuffer) {
            return new Bound(bytes(value), Kind.BYTES);
        }
        if (value instanceof Number || value instanceof Boolean) {
            return new Bound(value, Kind.NUMBER);
        }
        return new Bound(value == null ? null : value.toString(), Kind.TEXT);
    }

    /** The canonical text of a bound value, to match rows read back ({@link #read}). */
    static String canonical(Bound bound) {
        return canonical(bound.parameter(), bound.kind());
    }

    /** The canonical text of a key column read back from a row, read as {@code kind}. */
    static String read(ResultSet rs, String column, Kind kind) throws SQLException {
        Object value = switch (kind) {
            case DATE -> rs.getObject(column, LocalDate.class);
            case DATETIME -> rs.getObject(column, LocalDateTime.class);
            case BYTES -> rs.getBytes(column);
            case DECIMAL -> rs.getBigDecimal(column);
            case NUMBER -> rs.getObject(column) instanceof Boolean b ? b : rs.getLong(column);
            case TIME, TEXT -> rs.getString(column);
        };
        return canonical(value, kind);
    }

    static String canonical(Object value, Kind kind) {
        if (value == null) {
            return "\u0000null";
        }
        return switch (kind) {
            case DECIMAL -> ((BigDecimal) value).stripTrailingZeros().toPlainString();
            case BYTES -> Base64.getEncoder().encodeToString((byte[]) value);
            case NUMBER -> value instanceof Boolean b ? (b ? "1" : "0") : Long.toString(((Number) value).longValue());
            // MySQL reads a TIME(6) back as 838:59:59.000000: the fraction's trailing zeros are not part of the value.
            case TIME -> timeText(value.toString());
            default -> value.toString();
        };
    }

    /** MySQL's text of a TIME ({@code -838:59:59.000000}) as the sinks write TIME: no trailing zeros in the fraction. */
    static String timeText(String mysql) {
        return mysql == null ? null : mysql.replaceFirst("(\\.\\d*?)0+$", "$1").replaceFirst("\\.$", "");
    }

    private static LocalDateTime dateTime(long amount, long perSecond) {
        long seconds = Math.floorDiv(amount, perSecond);
        long nanos = Math.floorMod(amount, perSecond) * (1_000_000_000L / perSecond);
        return LocalDateTime.ofEpochSecond(seconds, (int) nanos, ZoneOffset.UTC);
    }

    private static byte[] bytes(Object value) {
        if (value instanceof ByteBuffer buffer) {
            byte[] out = new byte[buffer.remaining()];
            buffer.duplicate().get(out);
            return out;
        }
        return (byte[]) value;
    }

    /** Debezium gives BIT(n) least significant byte first; MySQL compares them most significant first. */
    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            out[i] = bytes[bytes.length - 1 - i];
        }
        return out;
    }
}
