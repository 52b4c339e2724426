package io.cdcmesh.sink.hive;

/**
 * The two questions an audit table answers in plain HiveQL, as the module's README gives them (its tests run
 * these very strings). Arguments are trusted literals: these build documentation and test queries, not user input.
 */
public final class Queries {
    private Queries() {}

    /** Every change to one entity id, in the order the source committed them. */
    public static String history(String table, String id) {
        return "SELECT type, commit_time, position, kafka_offset, uuid FROM " + table
                + " WHERE id = '" + id + "' ORDER BY position, kafka_offset";
    }

    /**
     * The table as it was at {@code timestamp} (UTC, 'yyyy-MM-dd HH:mm:ss'): for each id, its latest change at or
     * before then, unless that change deleted it; the row is in the after_ columns.
     */
    public static String stateAsOf(String table, String timestamp) {
        return "SELECT * FROM ("
                + " SELECT a.*, ROW_NUMBER() OVER (PARTITION BY id ORDER BY position DESC, kafka_offset DESC) AS rn"
                + " FROM " + table + " a WHERE commit_time <= '" + timestamp + "'"
                + ") latest WHERE rn = 1 AND type <> 'DELETE'";
    }
}
