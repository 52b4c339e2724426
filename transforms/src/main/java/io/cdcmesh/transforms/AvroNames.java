package io.cdcmesh.transforms;

/**
 * Schema names that are valid Avro full names: every dot-separated part matches {@code [A-Za-z_][A-Za-z0-9_]*}.
 * Debezium names schemas after the topic prefix, database and table ({@code prefix.db.table.Value}), and with its
 * default {@code schema.name.adjustment.mode=none} a database or table called {@code my-db} or {@code 2024_sales}
 * gives a name an Avro converter refuses. Each invalid character becomes {@code _}, and a part that starts with a
 * digit gets a leading {@code _}. The result depends only on the input, so a table always gets the same name.
 */
final class AvroNames {
    private AvroNames() {}

    static boolean isValid(String fullName) {
        if (fullName == null || fullName.isEmpty()) {
            return false;
        }
        for (String part : fullName.split("\\.", -1)) {
            if (!isValidPart(part)) {
                return false;
            }
        }
        return true;
    }

    static String sanitize(String fullName) {
        if (isValid(fullName)) {
            return fullName;
        }
        StringBuilder out = new StringBuilder(fullName.length() + 4);
        for (String part : fullName.split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            if (out.length() > 0) {
                out.append('.');
            }
            if (!isNameStart(part.charAt(0)) && isNamePart(part.charAt(0))) {
                out.append('_');
            }
            for (int i = 0; i < part.length(); i++) {
                char c = part.charAt(i);
                out.append(isNamePart(c) ? c : '_');
            }
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    private static boolean isValidPart(String part) {
        if (part.isEmpty() || !isNameStart(part.charAt(0))) {
            return false;
        }
        for (int i = 1; i < part.length(); i++) {
            if (!isNamePart(part.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isNameStart(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    }

    private static boolean isNamePart(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }
}
