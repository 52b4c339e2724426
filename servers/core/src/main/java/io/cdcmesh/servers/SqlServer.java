package io.cdcmesh.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MySQL-protocol server (MySQL 8 or MariaDB) started by the test kit on a free loopback port,
 * with its data under the test kit's work directory, binlog in ROW/FULL mode and a user that
 * Debezium can capture with.
 */
public abstract class SqlServer implements AutoCloseable {
    public static final String CDC_USER = "cdc";
    public static final String CDC_PASSWORD = "cdc-secret";
    private static final AtomicInteger REPLICA_IDS = new AtomicInteger(5400);
    private static final Map<String, AtomicInteger> INSTANCES = new ConcurrentHashMap<>();

    protected final Path home;
    protected final Path dataDir;
    protected final int port;
    private ManagedProcess process;

    protected SqlServer(String name) {
        // Several servers of one flavor may run at once (a primary and its replica): each gets its own folder.
        int instance = INSTANCES.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
        this.home = WorkDir.fresh(instance == 1 ? name : name + "-" + instance);
        this.dataDir = home.resolve("data");
        this.port = Ports.freePort();
    }

    /** mysql or mariadb */
    public abstract String flavor();

    protected abstract Path baseDir();

    protected abstract void initialize(Path log);

    protected abstract List<String> serverCommand();

    protected Map<String, String> environment() {
        return Map.of();
    }

    protected abstract String createCdcUserSql();

    /** True if the server refuses connections without TLS. */
    public boolean requiresTls() {
        return false;
    }

    /** Statements run before the set-up ones, in the same session. */
    protected List<String> localSetupPrefix() {
        return List.of();
    }

    final SqlServer start() {
        long started = System.nanoTime();
        Path log = home.resolve("server.log");
        try {
            Files.createDirectories(home.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        initialize(home.resolve("init.log"));
        process = ManagedProcess.start(flavor(), serverCommand(), home, log, environment());
        Await.until(Duration.ofSeconds(90), flavor() + " on port " + port + " to accept connections", () -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(flavor() + " exited while starting:\n" + TextFiles.tail(log, 30));
            }
            try (Connection ignored = connect("")) {
                return true;
            } catch (SQLException notYet) {
                return false;
            }
        });
        List<String> setup = new ArrayList<>(localSetupPrefix());
        setup.add(createCdcUserSql());
        setup.add("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO '"
                + CDC_USER + "'@'%'");
        execute("", setup.toArray(String[]::new));
        System.out.printf("[testkit] %s ready on 127.0.0.1:%d in %d ms (pid %d)%n",
                flavor(), port, (System.nanoTime() - started) / 1_000_000, process.pid());
        return this;
    }

    public String host() {
        return Ports.LOOPBACK;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public String jdbcUrl(String database) {
        return "jdbc:mysql://" + host() + ":" + port + "/" + database
                + "?sslMode=" + (requiresTls() ? "REQUIRED" : "DISABLED") + "&allowPublicKeyRetrieval=true&connectionTimeZone=UTC";
    }

    /** A connection as the server's root user. */
    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "root", "");
    }

    /** Runs statements as root, in order, in one connection. */
    public void execute(String database, String... statements) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + flavor() + ": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row of a query run as root, or null if there is no row. */
    public String queryValue(String database, String sql) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed on " + flavor() + ": " + e.getMessage(), e);
        }
    }

    /** Drops and creates a database, so every test starts from nothing. */
    public void recreateDatabase(String database) {
        String quoted = "`" + database.replace("`", "``") + "`";
        execute("", "DROP DATABASE IF EXISTS " + quoted, "CREATE DATABASE " + quoted + " CHARACTER SET utf8mb4");
    }

    /**
     * The connection part of a Debezium MySQL/MariaDB connector config for this server, with a replica
     * server id unique within this JVM.
     */
    public Map<String, String> debeziumConnection() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("database.hostname", host());
        config.put("database.port", Integer.toString(port));
        config.put("database.user", CDC_USER);
        config.put("database.password", CDC_PASSWORD);
        config.put("database.server.id", Integer.toString(REPLICA_IDS.incrementAndGet()));
        config.put("driver.allowPublicKeyRetrieval", "true");
        return config;
    }

    /** mysqld refuses to run as root unless told to. */
    protected static List<String> runAsFlags() {
        return "root".equals(System.getProperty("user.name")) ? List.of("--user=root") : List.of();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
