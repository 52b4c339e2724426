package io.cdcmesh.sink.hive.write;

/**
 * Values as HiveQL literals for the JDBC path. Every value is a quoted string that Hive casts to the column's
 * type (so no value is ever read as SQL), with backslash escapes for quote, backslash and control characters;
 * BINARY columns, held as Base64 text, go through {@code unbase64}. Sessions run with
 * {@code hive.variable.substitute=false}, so {@code ${...}} in a value stays text.
 */
public final class HiveLiterals {
    private HiveLiterals() {}

    public static String of(String hiveType, String text) {
        if (text == null) {
            return "NULL";
        }
        if ("BINARY".equalsIgnoreCase(hiveType)) {
            return "unbase64(" + string(text) + ")";
        }
        return string(text);
    }

    public static String string(String text) {
        StringBuilder literal = new StringBuilder(text.length() + 8).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> literal.append("\\\\");
                case '\'' -> literal.append("\\'");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('\'').toString();
    }
}
