package io.cdcmesh.it;

import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.hive.HiveServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Helpers for the Hive audit sink's worker tests: the changes a workload made, and what the audit tables hold. */
final class AuditTables {
    private AuditTables() {}

    /** Counts of the changes a workload made, per audit table and type. */
    static final class Changes {
        private final Map<String, Map<String, Long>> counts = new TreeMap<>();

        /** Runs a statement and counts the rows it changed as {@code type} changes of {@code table}. */
        long run(Statement s, String table, String type, String sql) throws SQLException {
            long rows = s.executeUpdate(sql);
            add(table, type, rows);
            return rows;
        }

        void add(String table, String type, long rows) {
            counts.computeIfAbsent(table, k -> new TreeMap<>()).merge(type, rows, Long::sum);
        }

        Map<String, Long> of(String table) {
            return counts.getOrDefault(table, Map.of());
        }

        long total(String table) {
            return of(table).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /**
     * The Hive sink reading every topic Debezium writes for {@code db} under the prefix "studio", into
     * {@code database}, with files under the HiveServer2's work directory.
     */
    static Map<String, String> sinkConfig(HiveServer hive, String db, String database, int tasks) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.cdcmesh.sink.hive.HiveAuditSinkConnector");
        config.put("tasks.max", Integer.toString(tasks));
        config.put("topics.regex", "studio\\." + db + "\\..*");
        config.put("consumer.override.metadata.max.age.ms", "1000");
        config.put("hive.jdbc.url", hive.jdbcUrl());
        config.put("hive.database", database);
        config.put("table.location", hive.externalWarehouse().resolveSibling(database).toUri().toString());
        config.put("flush.size", "200");
        return config;
    }

    /**
     * Waits until Debezium is streaming: inserts a row into {@code db.probe} (a table made for this) and waits for
     * its audit row. Debezium emits every snapshot row before it streams, so changes made after this are streamed
     * one by one; changes made while the snapshot runs would be folded into its READ rows, and could not be counted.
     */
    static void awaitStreaming(SqlServer server, HiveServer hive, String db, String database) {
        server.execute(db, "INSERT INTO probe VALUES (1)");
        String probe = database + "." + db + "_probe";
        io.cdcmesh.servers.Await.until(java.time.Duration.ofSeconds(120), "the probe row in " + probe, () -> rows(hive, probe) == 1);
    }

    /**
     * The README's state-as-of query, from the Hive sink's own {@code Queries} class, read out of the built plugin
     * archive (the sink's classes stay off this module's classpath, so workers load them only from plugin.path).
     */
    static String stateAsOfQuery(String table, String timestamp) {
        String version = io.cdcmesh.testkit.connect.ConnectStack.version();
        java.nio.file.Path jar = io.cdcmesh.testkit.connect.ConnectStack.pluginPath()
                .resolve("cdc-mesh-sink-hive-" + version + "/lib/cdc-mesh-sink-hive-" + version + ".jar");
        try (java.net.URLClassLoader loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, null)) {
            return (String) loader.loadClass("io.cdcmesh.sink.hive.Queries").getMethod("stateAsOf", String.class, String.class)
                    .invoke(null, table, timestamp);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the state-as-of query from " + jar, e);
        }
    }

    /** The number of rows in an audit table, by a fetch (no MapReduce job), or 0 before it exists. */
    static long rows(HiveServer hive, String qualified) {
        String database = qualified.substring(0, qualified.indexOf('.'));
        String table = qualified.substring(qualified.indexOf('.') + 1);
        if (hive.query("SHOW TABLES IN " + database + " LIKE '" + table + "'").isEmpty()) {
            return 0;
        }
        return hive.query("SELECT uuid FROM " + qualified).size();
    }

    /** Uuids that appear more than once in the table. */
    static Map<Object, Long> duplicateUuids(HiveServer hive, String qualified) {
        return hive.query("SELECT uuid FROM " + qualified).stream()
                .collect(Collectors.groupingBy(r -> r.get("uuid"), Collectors.counting()))
                .entrySet().stream().filter(e -> e.getValue() > 1)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    /** Per-type counts through Hive's own aggregation (a MapReduce job). */
    static Map<String, Long> typeCounts(HiveServer hive, String qualified) {
        Map<String, Long> counts = new TreeMap<>();
        hive.query("SELECT type, count(*) AS n FROM " + qualified + " GROUP BY type")
                .forEach(r -> counts.put((String) r.get("type"), ((Number) r.get("n")).longValue()));
        return counts;
    }

    /** Rows of a MySQL table keyed by the audit id (the primary key's value), with chosen columns as text. */
    static Map<String, Map<String, String>> sourceRows(MySqlServer mysql, String db, String table, String key, List<String> columns)
            throws SQLException {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = mysql.connect(db); Statement s = c.createStatement();
                var rs = s.executeQuery("SELECT * FROM `" + table + "`")) {
            while (rs.next()) {
                Map<String, String> row = new HashMap<>();
                for (String column : columns) {
                    row.put(column, rs.getString(column));
                }
                rows.put(rs.getString(key), row);
            }
        }
        return rows;
    }

    /**
     * Inserts {@code rows} titles into {@code db.titles}; every third insert also updates an earlier title, every
     * seventh deletes one, each counted in {@code changes}. It stays at most about 300 changes ahead of the audit
     * table, so the stream is still flowing whenever a test kills what carries it.
     */
    static void writeTitlesWorkload(MySqlServer mysql, String db, int rows, Changes changes, String table, HiveServer hive) {
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 1; id <= rows; id++) {
                changes.run(s, table, "CREATE", "INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', 0)");
                if (id % 3 == 0) {
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 1, name = CONCAT('Title ', id, ' r',"
                            + " revision + 1) WHERE id = " + (id / 2));
                }
                if (id % 7 == 0) {
                    changes.run(s, table, "DELETE", "DELETE FROM titles WHERE id = " + (id - 5));
                }
                if (id % 100 == 0) {
                    long made = changes.total(table);
                    io.cdcmesh.servers.Await.until(java.time.Duration.ofSeconds(180), "the audit table within 300 changes of change "
                            + made, () -> rows(hive, table) >= made - 300);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("workload failed", e);
        }
    }
}
