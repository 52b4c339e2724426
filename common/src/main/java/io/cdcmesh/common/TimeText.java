package io.cdcmesh.common;

/**
 * MySQL TIME values as text, {@code [-]HH:MM:SS[.fraction]}. A TIME is a signed duration from -838:59:59.000000 to
 * 838:59:59.000000, not a time of day, so {@link java.time.LocalTime} cannot hold every value; the fraction keeps
 * every non-zero digit and drops trailing zeros, as the sinks write timestamps.
 */
public final class TimeText {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TimeText() {}

    /** Debezium's {@code io.debezium.time.Time}: milliseconds. */
    public static String ofMillis(long millis) {
        return ofNanos(Math.multiplyExact(millis, 1_000_000L));
    }

    /** Debezium's {@code io.debezium.time.MicroTime}: microseconds. */
    public static String ofMicros(long micros) {
        return ofNanos(Math.multiplyExact(micros, 1_000L));
    }

    /** Debezium's {@code io.debezium.time.NanoTime}: nanoseconds. */
    public static String ofNanos(long nanos) {
        StringBuilder text = new StringBuilder(20);
        if (nanos < 0) {
            text.append('-');
        }
        // Negate as unsigned magnitude: Long.MIN_VALUE has no positive twin.
        long magnitude = Math.abs(nanos);
        long seconds = nanos == Long.MIN_VALUE ? Long.MAX_VALUE / NANOS_PER_SECOND : magnitude / NANOS_PER_SECOND;
        long fraction = nanos == Long.MIN_VALUE ? 854_775_808L : magnitude % NANOS_PER_SECOND;
        long hours = seconds / 3_600;
        if (hours < 10) {
            text.append('0');
        }
        text.append(hours).append(':');
        two(text, seconds / 60 % 60).append(':');
        two(text, seconds % 60);
        if (fraction != 0) {
            int digits = 9;
            while (fraction % 10 == 0) {
                fraction /= 10;
                digits--;
            }
            String f = Long.toString(fraction);
            text.append('.');
            for (int i = f.length(); i < digits; i++) {
                text.append('0');
            }
            text.append(f);
        }
        return text.toString();
    }

    private static StringBuilder two(StringBuilder text, long value) {
        return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
    }
}
