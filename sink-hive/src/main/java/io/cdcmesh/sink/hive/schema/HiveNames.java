package io.cdcmesh.sink.hive.schema;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.connect.errors.DataException;

/**
 * Identifiers that reach HiveQL. Every one is checked against what the metastore can store and then quoted with
 * backticks, so reserved words ({@code table}, {@code order}) and mixed case work; a name that can't be
 * represented is refused with an error naming it, never spliced into a statement.
 */
public final class HiveNames {
    /** The metastore stores database and table names lower-cased and accepts only these characters. */
    private static final Pattern TABLE = Pattern.compile("[a-z0-9_]{1,128}");
    /** Column names: letters, digits, underscore, space, dollar and hyphen; no backtick, dot, colon or control characters. */
    private static final Pattern COLUMN = Pattern.compile("[\\p{L}\\p{N}_ $-]{1,767}");

    private HiveNames() {}

    /** A database or table name, lower-cased; refused unless it is 1-128 of [A-Za-z0-9_]. */
    public static String table(String name, String what) {
        String lower = name == null ? "" : name.toLowerCase(Locale.ROOT);
        if (!TABLE.matcher(lower).matches()) {
            throw new DataException(what + " '" + name + "' can't be a Hive name: only letters, digits and '_' (1 to 128)"
                    + " are allowed; set table.name.pattern to a name that is");
        }
        return lower;
    }

    /** A column name as Hive stores it (lower case); refused if it has characters HiveQL can't quote. */
    public static String column(String name) {
        if (name == null || !COLUMN.matcher(name).matches() || name.isBlank()) {
            throw new DataException("Column '" + name + "' can't be a Hive column: only letters, digits, '_', ' ', '$'"
                    + " and '-' are allowed");
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** A checked identifier in backticks. */
    public static String quote(String checked) {
        if (checked.indexOf('`') >= 0) {
            throw new IllegalArgumentException("unchecked identifier: " + checked);
        }
        return '`' + checked + '`';
    }

    /** {@code `db`.`table`} */
    public static String qualified(String database, String table) {
        return quote(database) + "." + quote(table);
    }
}
