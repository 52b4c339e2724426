package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.HiveAuditSinkConfig;
import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.HiveNames;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.hive.jdbc.HiveDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DDL over HiveServer2's JDBC driver: databases, audit tables (EXTERNAL, in the configured storage format, partitioned by the commit time),
 * added columns and partitions. Every identifier is checked and quoted ({@link HiveNames}); every location and
 * partition value was validated by the config. Any failure is a {@link HiveUnavailableException}: retried.
 */
public final class HiveCatalog implements TableCatalog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HiveCatalog.class);

    private final HiveAuditSinkConfig config;
    private Connection connection;

    public HiveCatalog(HiveAuditSinkConfig config) {
        this.config = config;
    }

    /** The audit table, created (with its database) if missing, and its current columns if it exists. */
    @Override
    public AuditTable open(String database, String table, List<AuditColumn> imageColumns) {
        // Mostly the table is there (every restart, every other task): one round trip then, not four.
        List<String[]> described = tryQuery("DESCRIBE FORMATTED " + HiveNames.qualified(database, table));
        if (described != null) {
            return describe(database, table, described);
        }
        String location = config.tableLocation() + "/" + database + "/" + table;
        execute("CREATE DATABASE IF NOT EXISTS " + HiveNames.quote(database));
        if (!exists(database, table)) {
            List<AuditColumn> columns = new ArrayList<>(AuditEvent.EVENT_COLUMNS);
            columns.addAll(imageColumns);
            execute("CREATE EXTERNAL TABLE IF NOT EXISTS " + HiveNames.qualified(database, table) + " ("
                    + columns.stream().map(AuditColumn::ddl).collect(Collectors.joining(", ")) + ")"
                    + " PARTITIONED BY (" + HiveNames.quote(config.partitionField()) + " STRING) " + DataFormat.of(config.storageFormat()).storageClause()
                    + " LOCATION '" + location + "' TBLPROPERTIES ('cdcmesh.audit.version'='1')");
            LOG.info("Created audit table {}.{} at {}", database, table, location);
        }
        return describe(database, table);
    }

    /** Appends columns, for every partition too (CASCADE), so rows written before read them as NULL. */
    @Override
    public void addColumns(AuditTable table, List<AuditColumn> columns) {
        execute("ALTER TABLE " + table.qualified() + " ADD COLUMNS ("
                + columns.stream().map(AuditColumn::ddl).collect(Collectors.joining(", ")) + ") CASCADE");
        table.added(columns);
        LOG.info("Added columns {} to {}", columns.stream().map(AuditColumn::name).toList(), table);
    }

    /** Registers a partition at its directory, once per task and table. */
    public void addPartition(AuditTable table, String value, String location) {
        if (table.hasPartition(value)) {
            return;
        }
        execute("ALTER TABLE " + table.qualified() + " ADD IF NOT EXISTS PARTITION ("
                + HiveNames.quote(config.partitionField()) + "='" + value + "') LOCATION '" + location + "'");
        table.registered(value);
    }

    private boolean exists(String database, String table) {
        return !query("SHOW TABLES IN " + HiveNames.quote(database) + " LIKE '" + table + "'").isEmpty();
    }

    /** The table as the metastore has it now: its columns in order and its location. */
    @Override
    public AuditTable describe(String database, String table) {
        return describe(database, table, query("DESCRIBE FORMATTED " + HiveNames.qualified(database, table)));
    }

    private AuditTable describe(String database, String table, List<String[]> rows) {
        List<AuditColumn> columns = new ArrayList<>();
        String location = null;
        String inputFormat = null;
        boolean inColumns = true;
        for (String[] row : rows) {
            String name = row[0] == null ? "" : row[0].trim();
            if (inColumns && name.startsWith("# col_name")) {
                continue;
            }
            if (name.isEmpty() || name.startsWith("#")) {
                inColumns = false;
            } else if (inColumns) {
                columns.add(new AuditColumn(name.toLowerCase(Locale.ROOT), row[1].trim().toUpperCase(Locale.ROOT)));
            }
            if ("Location:".equals(name)) {
                location = row[1].trim();
            }
            if ("InputFormat:".equals(name)) {
                inputFormat = row[1].trim();
            }
        }
        if (location == null) {
            throw new HiveUnavailableException("Hive did not report the location of " + database + "." + table, null);
        }
        if (location.endsWith("/")) {
            location = location.substring(0, location.length() - 1);
        }
        DataFormat format = DataFormat.ofInputFormat(inputFormat);
        if (format == null) {
            throw new IllegalStateException("Table " + database + "." + table + " has input format " + inputFormat
                    + ", not one this sink writes (text, ORC, Parquet): give the sink another table or database");
        }
        return new AuditTable(database, table, location, columns, format);
    }

    void execute(String sql) {
        try (Statement statement = connection().createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /** The rows of a query, or null if Hive refused it (e.g. a table that does not exist); the session stays open. */
    private List<String[]> tryQuery(String sql) {
        try {
            return rows(connection(), sql);
        } catch (SQLException e) {
            return null;
        }
    }

    List<String[]> query(String sql) {
        try {
            return rows(connection(), sql);
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    private static List<String[]> rows(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<String[]> rows = new ArrayList<>();
            while (rs.next()) {
                String[] row = new String[columns];
                for (int i = 0; i < columns; i++) {
                    row[i] = rs.getString(i + 1);
                }
                rows.add(row);
            }
            return rows;
        }
    }

    /**
     * Every failure of a statement the catalog built is retried, never turned into a dead-letter record: the names
     * and types in it were checked before, so what remains is HiveServer2 being away, its metastore's contention
     * (two tasks creating one database), or a scratch-directory hiccup, which pass. A failure that never passes keeps
     * the task paused and retrying (visible in its log) until max.retries, rather than dropping audit rows.
     */
    private RuntimeException failure(String sql, SQLException e) {
        closeQuietly();
        return unavailable(sql, e);
    }

    /** The failure of a statement, told without the rows an INSERT carries (the server's message may quote them). */
    static HiveUnavailableException unavailable(String sql, SQLException e) {
        int values = sql.indexOf(") VALUES ");
        if (values >= 0) {
            return new HiveUnavailableException("HiveServer2 did not complete " + sql.substring(0, values + 8) + " (rows"
                    + " withheld): SQLState " + e.getSQLState() + ", error " + e.getErrorCode(), null);
        }
        String statement = sql.length() > 300 ? sql.substring(0, 300) + "..." : sql;
        return new HiveUnavailableException("HiveServer2 did not complete " + statement + ": " + e.getMessage(), e);
    }


    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Connection c = connect(config);
            try (Statement s = c.createStatement()) {
                // Values and locations are literals; ${...} in them must stay text.
                s.execute("SET hive.variable.substitute=false");
                for (Map.Entry<String, String> setting : config.sessionSettings().entrySet()) {
                    s.execute("SET " + setting.getKey() + "=" + setting.getValue());
                }
            }
            connection = c;
        }
        return connection;
    }

    /** A new connection. The driver is instantiated directly: DriverManager does not see drivers in a plugin's classloader. */
    public static Connection connect(HiveAuditSinkConfig config) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", config.getString(HiveAuditSinkConfig.HIVE_USER));
        properties.setProperty("password", config.password() == null ? "" : config.password().value());
        String url = config.getString(HiveAuditSinkConfig.HIVE_URL);
        Connection connection = new HiveDriver().connect(url, properties);
        if (connection == null) {
            throw new SQLException("The Hive driver does not accept " + url, "08001");
        }
        return connection;
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is being dropped after a failure
            }
            connection = null;
        }
    }

    @Override
    public void close() {
        closeQuietly();
    }
}
