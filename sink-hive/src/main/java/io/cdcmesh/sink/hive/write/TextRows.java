package io.cdcmesh.sink.hive.write;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Rows in the text form of the audit tables' LazySimpleSerDe ({@link HiveCatalog#ROW_FORMAT}): fields separated
 * by \001, rows by \n, null as {@code \N}; a backslash, \001, CR and LF inside a value are escaped with a backslash
 * (CR and LF as {@code \r}, {@code \n}), so any string round-trips.
 */
public final class TextRows {
    static final char FIELD = '\u0001';
    private static final byte[] NULL = {'\\', 'N'};

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    private final StringBuilder field = new StringBuilder(64);

    public void append(List<String> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.write(FIELD);
            }
            String value = values.get(i);
            if (value == null) {
                out.write(NULL, 0, 2);
            } else {
                byte[] bytes = escape(value).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        out.write('\n');
    }

    public byte[] bytes() {
        return out.toByteArray();
    }

    String escape(String value) {
        field.setLength(0);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> field.append("\\\\");
                case FIELD -> field.append('\\').append(FIELD);
                case '\n' -> field.append("\\n");
                case '\r' -> field.append("\\r");
                default -> field.append(c);
            }
        }
        return field.toString();
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
