package io.cdcmesh.sink.hive.schema;

import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.kafka.connect.errors.DataException;

/**
 * Identifiers that reach HiveQL. Source names are mapped to what the metastore can store (characters it can't hold
 * become '_') and then quoted with backticks, so reserved words ({@code table}, {@code order}), mixed case, spaces and
 * punctuation all land; nothing from the source is spliced into a statement as it came. Two source names that map to
 * one audit table share it (each row carries its {@code entity}); two columns of one table that map to one name are
 * refused ({@link ImagePlan}).
 */
public final class HiveNames {
    /** The metastore stores database and table names lower-cased and accepts only these characters. */
    private static final Pattern TABLE = Pattern.compile("[a-z0-9_]{1,128}");
    private static final Pattern NOT_TABLE = Pattern.compile("[^a-z0-9_]");
    /** Column names: letters, digits, underscore, space, dollar and hyphen; no backtick, dot, colon or control characters. */
    private static final Pattern NOT_COLUMN = Pattern.compile("[^\\p{L}\\p{N}_ $-]");
    private static final int MAX_COLUMN = 767;

    private HiveNames() {}

    /** A database or table name, lower-cased, each character Hive can't hold as '_', at most 128 characters. */
    public static String table(String name, String what) {
        String mapped = NOT_TABLE.matcher(name == null ? "" : name.toLowerCase(Locale.ROOT)).replaceAll("_");
        mapped = mapped.length() > 128 ? mapped.substring(0, 128) : mapped;
        if (!TABLE.matcher(mapped).matches()) {
            throw new DataException(what + " is empty; set table.name.pattern to one that names every table");
        }
        return mapped;
    }

    /** A column name as Hive stores it: lower case, each character HiveQL can't quote as '_'. */
    public static String column(String name) {
        String mapped = name == null ? "" : NOT_COLUMN.matcher(name).replaceAll("_").toLowerCase(Locale.ROOT);
        if (mapped.isBlank() || mapped.length() > MAX_COLUMN) {
            throw new DataException("Column '" + name + "' can't be a Hive column: it is empty or longer than " + MAX_COLUMN
                    + " characters");
        }
        return mapped;
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
