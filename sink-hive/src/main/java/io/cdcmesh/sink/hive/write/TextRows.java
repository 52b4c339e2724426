package io.cdcmesh.sink.hive.write;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows in the text form of the audit tables' LazySimpleSerDe ({@link TextFormat#STORAGE}): fields separated
 * by \001, rows by \n, null as {@code \N}; a backslash, \001, CR and LF inside a value are escaped with a backslash
 * (CR and LF as {@code \r}, {@code \n}), so any string round-trips.
 */
public final class TextRows {
    static final char FIELD = '\u0001';

    private final StringBuilder text = new StringBuilder(1 << 16);
    private boolean rowStarted;

    /** Appends one row. */
    public void append(List<String> values) {
        for (String value : values) {
            field(value);
        }
        endRow();
    }

    /** Appends the next field of the current row. */
    public void field(String value) {
        if (rowStarted) {
            text.append(FIELD);
        }
        rowStarted = true;
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
    }

    public byte[] bytes() {
        return text.toString().getBytes(StandardCharsets.UTF_8);
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
