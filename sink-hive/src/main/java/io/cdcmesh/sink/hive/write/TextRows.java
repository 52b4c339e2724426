package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.HiveTypes;
import java.math.BigDecimal;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rows in the text form of the audit tables' LazySimpleSerDe ({@link TextFormat#STORAGE}): fields separated
 * by \001, rows by \n, null as {@code \N}; a backslash, \001, CR and LF inside a value are escaped with a backslash
 * (CR and LF as {@code \r}, {@code \n}), so any string round-trips.
 */
public final class TextRows {
    static final char FIELD = '\u0001';
    /** Rows are encoded (UTF-8) once this many chars are pending. */
    private static final int PENDING = 1 << 13;

    private final OutputStream out;
    private final StringBuilder text = new StringBuilder(PENDING + 1_024);
    private byte[] bytes = new byte[1 << 16];
    private int used;
    private boolean rowStarted;

    /** Rows kept in memory, for {@link #bytes()}. */
    public TextRows() {
        this(null);
    }

    /**
     * Rows streamed to {@code out} as they are made (buffered; {@link #finish()} writes the rest), so that a file of
     * any size never sits whole in memory. Write failures surface as {@link UncheckedIOException}.
     */
    public TextRows(OutputStream out) {
        this.out = out;
    }

    /** Appends one row. */
    public void append(List<String> values) {
        for (String value : values) {
            field(value);
        }
        endRow();
    }

    /**
     * Appends the next field of the current row: a value as the record holds it, rendered in Hive's text form
     * ({@link HiveTypes#text}) straight into the row, escaped where it can hold a special character.
     */
    public void value(HiveTypes.Kind kind, Object value) {
        if (value == null) {
            field(null);
            return;
        }
        switch (kind) {
            case DECIMAL -> start().append(((BigDecimal) value).toPlainString());
            case DEBEZIUM_DATE, CONNECT_DATE -> HiveTypes.appendDate(start(), HiveTypes.epochDay(kind, value));
            case MILLI_TIMESTAMP, CONNECT_TIMESTAMP, MICRO_TIMESTAMP, NANO_TIMESTAMP ->
                    HiveTypes.appendTimestamp(start(), HiveTypes.epochSecond(kind, value), HiveTypes.nanoOfSecond(kind, value));
            case OTHER -> {
                if (value instanceof String s) {
                    field(s);
                } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
                    start().append(((Number) value).longValue());
                } else if (value instanceof Double d) {
                    start().append(d.doubleValue());
                } else {
                    field(HiveTypes.text(kind, value));
                }
            }
            default -> field(HiveTypes.text(kind, value));
        }
    }

    /** Starts the next field, for a value that never needs escaping. */
    private StringBuilder start() {
        if (rowStarted) {
            text.append(FIELD);
        }
        rowStarted = true;
        return text;
    }

    /** Appends the next field of the current row. */
    public void field(String value) {
        start();
        if (value == null) {
            text.append("\\N");
            return;
        }
        int length = value.length();
        int first = 0;
        while (first < length) {
            char c = value.charAt(first);
            if (c == '\\' || c == FIELD || c == '\n' || c == '\r') {
                break;
            }
            first++;
        }
        text.append(value, 0, first);
        for (int i = first; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case FIELD -> text.append('\\').append(FIELD);
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
    }

    public void endRow() {
        text.append('\n');
        rowStarted = false;
        if (text.length() >= PENDING) {
            encode();
        }
    }

    /** The rows so far as UTF-8 (in-memory rows only). */
    public byte[] bytes() {
        if (out != null) {
            throw new IllegalStateException("these rows are streamed, not kept");
        }
        encode();
        return Arrays.copyOf(bytes, used);
    }

    /** Writes what is still buffered to the stream. */
    public void finish() {
        encode();
        flush();
    }

    /** The pending chars as UTF-8 (the JDK's encoder: a lone surrogate becomes '?') into the byte buffer. */
    private void encode() {
        if (text.length() == 0) {
            return;
        }
        byte[] utf8 = text.toString().getBytes(StandardCharsets.UTF_8);
        text.setLength(0);
        if (out != null && used + utf8.length > bytes.length) {
            flush();
        }
        if (used + utf8.length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, used + utf8.length));
        }
        System.arraycopy(utf8, 0, bytes, used, utf8.length);
        used += utf8.length;
    }

    private void flush() {
        if (out == null || used == 0) {
            return;
        }
        try {
            out.write(bytes, 0, used);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        used = 0;
    }

    /** Splits one line (without its \n) back into values; the inverse of {@link #append}. */
    public static List<String> parse(String line) {
        List<String> values = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= line.length(); i++) {
            if (i + 1 < line.length() && line.charAt(i) == '\\') {
                i++;
            } else if (i == line.length() || line.charAt(i) == FIELD) {
                String raw = line.substring(start, Math.min(i, line.length()));
                values.add(raw.equals("\\N") ? null : unescape(raw));
                start = i + 1;
            }
        }
        return values;
    }

    private static String unescape(String raw) {
        if (raw.indexOf('\\') < 0) {
            return raw;
        }
        StringBuilder value = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                value.append(next == 'n' ? '\n' : next == 'r' ? '\r' : next);
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }
}
