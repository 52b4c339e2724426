package io.cdcmesh.it;

import java.util.ArrayList;
import java.util.List;

/**
 * Every MySQL and MariaDB column type at its extremes, as the sinks' READMEs list them: for each column the SQL type, a
 * literal per test row (row 1 the minimum, row 2 the maximum, row 3 nulls, zeros and other special values), and what
 * Elasticsearch's document and the Hive audit must hold for it. Expected values are JSON for Elasticsearch (numbers
 * compared by value) and Hive's own text ({@code CAST(col AS STRING)}, BINARY as {@code base64(col)}), null for NULL.
 */
final class TypeCases {
    /** One column: its DDL per server ({@code null} on MariaDB: not created there), row literals and expectations. */
    record Case(String column, String mysqlType, String mariadbType, List<String> literals, List<String> mariadbLiterals,
            List<String> es, List<String> hive) {
        boolean on(boolean mariadb) {
            return !mariadb || mariadbType != null;
        }

        String type(boolean mariadb) {
            return mariadb ? mariadbType : mysqlType;
        }

        String literal(boolean mariadb, int row) {
            return (mariadb && mariadbLiterals != null ? mariadbLiterals : literals).get(row - 1);
        }
    }

    static final int ROWS = 3;
    private static final String MIB_BLOB = "REPEAT(X'00FF7F80', 262144)";
    static final List<Case> CASES = new ArrayList<>();

    private static void add(String column, String mysqlType, String mariadbType, String[] literals, String[] es, String[] hive) {
        CASES.add(new Case(column, mysqlType, mariadbType, List.of(literals), null, java.util.Arrays.asList(es), java.util.Arrays.asList(hive)));
    }

    private static void same(String column, String type, String[] literals, String[] es, String[] hive) {
        add(column, type, type, literals, es, hive);
    }

    private static String[] r(String... values) {
        return values;
    }

    static {
        same("ti", "TINYINT", r("-128", "127", "NULL"), r("-128", "127", null), r("-128", "127", null));
        same("tiu", "TINYINT UNSIGNED", r("0", "255", "NULL"), r("0", "255", null), r("0", "255", null));
        same("si", "SMALLINT", r("-32768", "32767", "0"), r("-32768", "32767", "0"), r("-32768", "32767", "0"));
        same("siu", "SMALLINT UNSIGNED", r("0", "65535", "NULL"), r("0", "65535", null), r("0", "65535", null));
        same("mi", "MEDIUMINT", r("-8388608", "8388607", "NULL"), r("-8388608", "8388607", null), r("-8388608", "8388607", null));
        same("miu", "MEDIUMINT UNSIGNED", r("0", "16777215", "NULL"), r("0", "16777215", null), r("0", "16777215", null));
        same("i", "INT", r("-2147483648", "2147483647", "NULL"), r("-2147483648", "2147483647", null),
                r("-2147483648", "2147483647", null));
        same("iu", "INT UNSIGNED", r("0", "4294967295", "NULL"), r("0", "4294967295", null), r("0", "4294967295", null));
        same("bi", "BIGINT", r("-9223372036854775808", "9223372036854775807", "NULL"),
                r("-9223372036854775808", "9223372036854775807", null), r("-9223372036854775808", "9223372036854775807", null));
        same("biu", "BIGINT UNSIGNED", r("0", "18446744073709551615", "NULL"), r("0", "18446744073709551615", null),
                r("0", "18446744073709551615", null));
        String wide = "99999999999999999999999999999999999.999999999999999999999999999999";
        same("dwide", "DECIMAL(65,30)", r("-" + wide, wide, "0.000000000000000000000000000001"),
                r("-" + wide, wide, "1E-30"), r("-" + wide, wide, "0.000000000000000000000000000001"));
        same("dmoney", "DECIMAL(10,2)", r("-99999999.99", "99999999.99", "0.00"), r("-99999999.99", "99999999.99", "0.00"),
                r("-99999999.99", "99999999.99", "0.00"));
        // -0e0: a double negative zero (SQL's -0.0 is a DECIMAL, which becomes +0.0).
        same("f", "FLOAT", r("-3.40282e38", "3.40282e38", "-0e0"), r("-3.40282e38", "3.40282e38", "-0.0"),
                r("-3.40282E38", "3.40282E38", "-0.0"));
        same("db", "DOUBLE", r("-1.7976931348623157e308", "1.7976931348623157e308", "-0e0"),
                r("-1.7976931348623157E308", "1.7976931348623157E308", "-0.0"),
                r("-1.7976931348623157E308", "1.7976931348623157E308", "-0.0"));
        same("d", "DATE", r("'1000-01-01'", "'9999-12-31'", "'0000-00-00'"), r("\"1000-01-01\"", "\"9999-12-31\"", null),
                r("1000-01-01", "9999-12-31", null));
        // Zero dates (allowed by the test's sql_mode) are null in both sinks, as Debezium reads them.
        same("dt", "DATETIME", r("'1000-01-01 00:00:00'", "'9999-12-31 23:59:59'", "'0000-00-00 00:00:00'"),
                r("\"1000-01-01T00:00\"", "\"9999-12-31T23:59:59\"", null), r("1000-01-01 00:00:00", "9999-12-31 23:59:59", null));
        same("dt3", "DATETIME(3)", r("'1000-01-01 00:00:00.000'", "'9999-12-31 23:59:59.999'", "NULL"),
                r("\"1000-01-01T00:00\"", "\"9999-12-31T23:59:59.999\"", null),
                r("1000-01-01 00:00:00", "9999-12-31 23:59:59.999", null));
        same("dt6", "DATETIME(6)", r("'1000-01-01 00:00:00.000000'", "'9999-12-31 23:59:59.999999'", "'2026-07-04 12:00:00.000001'"),
                r("\"1000-01-01T00:00\"", "\"9999-12-31T23:59:59.999999\"", "\"2026-07-04T12:00:00.000001\""),
                r("1000-01-01 00:00:00", "9999-12-31 23:59:59.999999", "2026-07-04 12:00:00.000001"));
        same("ts", "TIMESTAMP NULL", r("'1970-01-01 00:00:01'", "'2038-01-19 03:14:07'", "'0000-00-00 00:00:00'"),
                r("instant:1970-01-01T00:00:01Z", "instant:2038-01-19T03:14:07Z", null),
                r("instant:1970-01-01T00:00:01Z", "instant:2038-01-19T03:14:07Z", null));
        same("ts6", "TIMESTAMP(6) NULL", r("'1970-01-01 00:00:01.000000'", "'2038-01-19 03:14:07.999999'", "NULL"),
                r("instant:1970-01-01T00:00:01Z", "instant:2038-01-19T03:14:07.999999Z", null),
                r("instant:1970-01-01T00:00:01Z", "instant:2038-01-19T03:14:07.999999Z", null));
        same("tm", "TIME", r("'-838:59:59'", "'838:59:59'", "'00:00:00'"), r("\"-838:59:59\"", "\"838:59:59\"", "\"00:00:00\""),
                r("-838:59:59", "838:59:59", "00:00:00"));
        same("tm6", "TIME(6)", r("'-838:59:59.000000'", "'838:59:59.000000'", "'-00:00:00.000001'"),
                r("\"-838:59:59\"", "\"838:59:59\"", "\"-00:00:00.000001\""), r("-838:59:59", "838:59:59", "-00:00:00.000001"));
        // YEAR 0000 is left out: a snapshot reads it as 2000 (Debezium's YEAR conversion always takes years below 70 for
        // two-digit years); the binlog's reading of it, 1900, is mended to 0 by NormalizeChangeEvent (RowShapeTest).
        same("y", "YEAR", r("1901", "2155", "2000"), r("1901", "2155", "2000"), r("1901", "2155", "2000"));
        same("b1", "BIT(1)", r("b'0'", "b'1'", "NULL"), r("false", "true", null), r("FALSE", "TRUE", null));
        same("b64", "BIT(64)", r("b'0'", "b'" + "1".repeat(64) + "'", "b'1'"), r("\"AAAAAAAAAAA=\"", "\"//////////8=\"", "\"AQAAAAAAAAA=\""),
                r("AAAAAAAAAAA=", "//////////8=", "AQAAAAAAAAA="));
        same("bin", "BINARY(4)", r("X'00000000'", "X'FFFFFFFF'", "NULL"), r("\"AAAAAA==\"", "\"/////w==\"", null),
                r("AAAAAA==", "/////w==", null));
        same("vbin", "VARBINARY(16)", r("X''", "X'00FF00FF00FF00FF00FF00FF00FF00FF'", "NULL"), r("\"\"", "\"AP8A/wD/AP8A/wD/AP8A/w==\"", null),
                r("", "AP8A/wD/AP8A/wD/AP8A/w==", null));
        same("blb", "LONGBLOB", r("X''", MIB_BLOB, "NULL"), r("\"\"", "mib-blob", null), r("", "mib-blob", null));
        same("ch", "CHAR(10)", r("''", "'abcdefghij'", "NULL"), r("\"\"", "\"abcdefghij\"", null), r("", "abcdefghij", null));
        same("vc", "VARCHAR(255)", r("''", "'\u00fcn\u00efc\u00f6d\u00e9 \uD83D\uDE00\uD834\uDD1E \\\\ \" | @ $ ` \\n end'", "NULL"),
                r("\"\"", "\"\u00fcn\u00efc\u00f6d\u00e9 \uD83D\uDE00\uD834\uDD1E \\\\ \\\" | @ $ ` \\n end\"", null),
                r("", "\u00fcn\u00efc\u00f6d\u00e9 \uD83D\uDE00\uD834\uDD1E \\ \" | @ $ ` \n end", null));
        same("tx", "MEDIUMTEXT", r("''", "REPEAT('\uD83D\uDE00', 100000)", "NULL"), r("\"\"", "emoji-text", null), r("", "emoji-text", null));
        same("en", "ENUM('a','b','')", r("'a'", "'b'", "''"), r("\"a\"", "\"b\"", "\"\""), r("a", "b", ""));
        same("st", "SET('x','y','z')", r("''", "'x,y,z'", "NULL"), r("\"\"", "\"x,y,z\"", null), r("", "x,y,z", null));
        add("js", "JSON", "LONGTEXT", r("'null'", "'{\"a\": [1, {\"b\": null}], \"\u00fc\": \"\uD83D\uDE00\", \"deep\": "
                        + "[[[[[[[[[[1]]]]]]]]]]}'", "NULL"),
                r("\"null\"", "json-object", null), r("null", "json-object", null));
        // SRID 4326: MySQL 8 reads 'POINT(a b)' as latitude a, longitude b (the EPSG axis order); MariaDB as x = longitude.
        CASES.add(new Case("pt", "POINT SRID 4326", "POINT REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('POINT(52.5 13.4)', 4326)", "ST_GeomFromText('POINT(-90 -180)', 4326)", "NULL"),
                List.of("ST_GeomFromText('POINT(13.4 52.5)', 4326)", "ST_GeomFromText('POINT(-180 -90)', 4326)", "NULL"),
                java.util.Arrays.asList("{\"lat\":52.5,\"lon\":13.4}", "{\"lat\":-90.0,\"lon\":-180.0}", null),
                java.util.Arrays.asList("point-json", "point-json", null)));
        // Every other spatial type with SRID 4326, as its own column type (x = longitude where MariaDB reads the text).
        CASES.add(new Case("mpt", "MULTIPOINT SRID 4326", "MULTIPOINT REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('MULTIPOINT((10 20),(30 40))', 4326)", "NULL", "NULL"),
                // MariaDB reads only the flat form (and gives NULL, not an error, for WKT it can't parse).
                List.of("ST_GeomFromText('MULTIPOINT(20 10, 40 30)', 4326)", "NULL", "NULL"),
                java.util.Arrays.asList("wkb", null, null), java.util.Arrays.asList("wkb-json", null, null)));
        CASES.add(new Case("mls", "MULTILINESTRING SRID 4326", "MULTILINESTRING REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('MULTILINESTRING((10 20, 11 21),(30 40, 31 41))', 4326)", "NULL", "NULL"),
                List.of("ST_GeomFromText('MULTILINESTRING((20 10, 21 11),(40 30, 41 31))', 4326)", "NULL", "NULL"),
                java.util.Arrays.asList("wkb", null, null), java.util.Arrays.asList("wkb-json", null, null)));
        CASES.add(new Case("mpg", "MULTIPOLYGON SRID 4326", "MULTIPOLYGON REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('MULTIPOLYGON(((10 20, 10 21, 11 21, 10 20)))', 4326)", "NULL", "NULL"),
                List.of("ST_GeomFromText('MULTIPOLYGON(((20 10, 21 10, 21 11, 20 10)))', 4326)", "NULL", "NULL"),
                java.util.Arrays.asList("wkb", null, null), java.util.Arrays.asList("wkb-json", null, null)));
        CASES.add(new Case("ls", "LINESTRING SRID 4326", "LINESTRING REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('LINESTRING(10 20, 11 21)', 4326)", "NULL", "NULL"),
                List.of("ST_GeomFromText('LINESTRING(20 10, 21 11)', 4326)", "NULL", "NULL"),
                java.util.Arrays.asList("wkb", null, null), java.util.Arrays.asList("wkb-json", null, null)));
        CASES.add(new Case("pg", "POLYGON SRID 4326", "POLYGON REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('POLYGON((10 20, 10 21, 11 21, 10 20))', 4326)", "NULL", "NULL"),
                List.of("ST_GeomFromText('POLYGON((20 10, 21 10, 21 11, 20 10))', 4326)", "NULL", "NULL"),
                java.util.Arrays.asList("wkb", null, null), java.util.Arrays.asList("wkb-json", null, null)));
        CASES.add(new Case("gc", "GEOMETRYCOLLECTION SRID 4326", "GEOMETRYCOLLECTION REF_SYSTEM_ID=4326",
                List.of("ST_GeomFromText('GEOMETRYCOLLECTION(POINT(10 20), LINESTRING(10 20, 11 21))', 4326)", "NULL", "NULL"),
                List.of("ST_GeomFromText('GEOMETRYCOLLECTION(POINT(20 10), LINESTRING(20 10, 21 11))', 4326)", "NULL", "NULL"),
                java.util.Arrays.asList("wkb", null, null), java.util.Arrays.asList("wkb-json", null, null)));
        // A JSON document of a megabyte.
        add("jsbig", "JSON", "LONGTEXT", r("'{}'", "CONCAT('{\"big\": \"', REPEAT('x', 1000000), '\"}')", "NULL"),
                r("\"{}\"", "json-large", null), r("{}", "json-large", null));
        same("geo", "GEOMETRY", r("ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)')",
                        "ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1), POLYGON((0 0, 10 0, 10 10, 0 10, 0 0)))')", "NULL"),
                r("wkb", "wkb", null), r("wkb-json", "wkb-json", null));
    }

    /** The Hive type of each column's {@code after_} column in the audit table, as the Hive sink's README lists it. */
    static final java.util.Map<String, String> HIVE_TYPES = java.util.Map.ofEntries(
            java.util.Map.entry("ti", "smallint"), java.util.Map.entry("tiu", "smallint"), java.util.Map.entry("si", "smallint"),
            java.util.Map.entry("siu", "int"), java.util.Map.entry("mi", "int"), java.util.Map.entry("miu", "int"),
            java.util.Map.entry("i", "int"), java.util.Map.entry("iu", "bigint"), java.util.Map.entry("bi", "bigint"),
            java.util.Map.entry("biu", "decimal(20,0)"), java.util.Map.entry("dwide", "string"),
            java.util.Map.entry("dmoney", "decimal(10,2)"), java.util.Map.entry("f", "float"), java.util.Map.entry("db", "double"),
            java.util.Map.entry("d", "date"), java.util.Map.entry("dt", "timestamp"), java.util.Map.entry("dt3", "timestamp"),
            java.util.Map.entry("dt6", "timestamp"), java.util.Map.entry("ts", "string"), java.util.Map.entry("ts6", "string"),
            java.util.Map.entry("tm", "string"), java.util.Map.entry("tm6", "string"), java.util.Map.entry("y", "int"),
            java.util.Map.entry("b1", "boolean"), java.util.Map.entry("b64", "binary"), java.util.Map.entry("bin", "binary"),
            java.util.Map.entry("vbin", "binary"), java.util.Map.entry("blb", "binary"), java.util.Map.entry("ch", "string"),
            java.util.Map.entry("vc", "string"), java.util.Map.entry("tx", "string"), java.util.Map.entry("en", "string"),
            java.util.Map.entry("st", "string"), java.util.Map.entry("js", "string"), java.util.Map.entry("pt", "string"),
            java.util.Map.entry("geo", "string"), java.util.Map.entry("mpt", "string"), java.util.Map.entry("mls", "string"),
            java.util.Map.entry("mpg", "string"), java.util.Map.entry("ls", "string"), java.util.Map.entry("pg", "string"),
            java.util.Map.entry("gc", "string"), java.util.Map.entry("jsbig", "string"));

    private TypeCases() {}
}
