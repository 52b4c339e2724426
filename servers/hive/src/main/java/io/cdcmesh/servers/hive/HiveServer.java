package io.cdcmesh.servers.hive;

import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.BuildOutputs;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.Ports;
import io.cdcmesh.servers.WorkDir;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.util.stream.Stream;

/**
 * A real HiveServer2 4.0.1 in its own JVM: Derby metastore, local filesystem, MapReduce in local mode, Thrift on a
 * free loopback port, no authentication. Data and metastore live under {@code target/testkit/hive*}. It can be
 * stopped and started again on the same data and port, as an outage would.
 */
public final class HiveServer implements AutoCloseable {
    private static final BuildOutputs BUILD = BuildOutputs.load(HiveServer.class, "hive-server.properties", "servers/hive-server");
    private static final List<String> OPENS = Stream.of("java.net", "java.lang", "java.nio", "java.util",
            "java.util.concurrent.atomic", "java.util.regex", "java.lang.reflect", "java.io", "sun.nio.ch")
            .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

    private final Path work;
    private final Path conf;
    private final int port;
    private ManagedProcess process;

    private HiveServer(String name) {
        this.work = WorkDir.fresh(name);
        this.conf = work.resolve("conf");
        this.port = Ports.freePort();
    }

    /** Creates the metastore and starts a new server outside JUnit; the caller closes it. */
    public static HiveServer launch() {
        return launch("hive");
    }

    static HiveServer launch(String name) {
        HiveServer server = new HiveServer(name);
        server.initialize();
        return server.start();
    }

    private void initialize() {
        long started = System.nanoTime();
        try {
            Files.createDirectories(conf);
            for (String dir : List.of("warehouse", "external", "scratch", "local-scratch", "logs", "tmp")) {
                Files.createDirectories(work.resolve(dir));
            }
            Files.writeString(conf.resolve("hive-site.xml"), siteXml());
            Files.writeString(conf.resolve("hive-log4j2.properties"), String.join("\n",
                    "status = error", "name = HiveTestKit",
                    "appender.file.type = File", "appender.file.name = file",
                    "appender.file.fileName = " + work.resolve("logs/hive.log"),
                    "appender.file.layout.type = PatternLayout",
                    "appender.file.layout.pattern = %d{ISO8601} %5p [%t] %c{2}: %m%n",
                    "rootLogger.level = info", "rootLogger.appenderRef.file.ref = file", ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path metastoreHome = metastoreHome();
        List<String> command = java("-Xmx512m");
        command.addAll(List.of("org.apache.hadoop.hive.metastore.tools.schematool.MetastoreSchemaTool",
                "-initSchema", "-dbType", "derby"));
        ManagedProcess.run("hive schematool", command, work, work.resolve("schematool.out"),
                Map.of("METASTORE_HOME", metastoreHome.toString()), 300);
        System.out.printf("[testkit] hive metastore created in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /** Starts the server (again, after {@link #stop()}, on the same port and data) and waits until it answers a query. */
    public synchronized HiveServer start() {
        long started = System.nanoTime();
        List<String> command = java("-Xmx1g");
        command.add("org.apache.hive.service.server.HiveServer2");
        Path log = work.resolve("hiveserver2.out");
        process = ManagedProcess.start("hiveserver2", command, work, log, Map.of());
        Await.until(Duration.ofSeconds(180), "HiveServer2 on port " + port + " to answer a query", () -> {
            if (!process.isAlive()) {
                throw new Await.Abort("HiveServer2 exited while starting; see " + log + " and " + work.resolve("logs/hive.log"), null);
            }
            // The JDBC driver logs a WARN per refused attempt: knock on the port first, quietly.
            if (!listening()) {
                return false;
            }
            try (Connection c = connect(); Statement s = c.createStatement()) {
                s.execute("SHOW DATABASES");
                return true;
            } catch (SQLException notYet) {
                return false;
            }
        });
        System.out.printf("[testkit] hiveserver2 ready on 127.0.0.1:%d in %d ms (pid %d)%n",
                port, (System.nanoTime() - started) / 1_000_000, process.pid());
        return this;
    }

    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(Ports.LOOPBACK, port), 1_000);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL); {@link #start()} brings it back on the same data. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** The HiveServer2 process, for a benchmark's CPU meter. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException("hiveserver2 is not running");
        }
        return process.pid();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String jdbcUrl() {
        return jdbcUrl("default");
    }

    public String jdbcUrl(String database) {
        return "jdbc:hive2://127.0.0.1:" + port + "/" + database;
    }

    public int port() {
        return port;
    }

    /** The warehouse directory of external tables (local filesystem). */
    public Path externalWarehouse() {
        return work.resolve("external");
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "cdc-mesh", "");
    }

    /** Runs statements in order on one connection. */
    public void execute(String... statements) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : statements) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Hive statement failed: " + e.getMessage(), e);
        }
    }

    /** Runs a query; each row as column label to value, in column order. */
    public List<Map<String, Object>> query(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Map<String, Object>> rows = new ArrayList<>();
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= columns; i++) {
                    String label = rs.getMetaData().getColumnLabel(i);
                    row.put(label.contains(".") ? label.substring(label.indexOf('.') + 1) : label, rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("Hive query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private List<String> java(String heap) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(heap);
        command.addAll(OPENS);
        command.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
        command.add("-Dlog4j2.configurationFile=" + conf.resolve("hive-log4j2.properties"));
        command.add("-Dhive.log.dir=" + work.resolve("logs"));
        command.add("-cp");
        command.add(conf + ":" + classpath());
        return command;
    }

    private String siteXml() {
        Map<String, String> site = new LinkedHashMap<>();
        site.put("fs.defaultFS", "file:///");
        site.put("javax.jdo.option.ConnectionURL", "jdbc:derby:;databaseName=" + work.resolve("metastore_db") + ";create=true");
        site.put("javax.jdo.option.ConnectionDriverName", "org.apache.derby.jdbc.EmbeddedDriver");
        site.put("hive.metastore.warehouse.dir", work.resolve("warehouse").toUri().toString());
        site.put("hive.metastore.warehouse.external.dir", work.resolve("external").toUri().toString());
        site.put("hive.exec.scratchdir", work.resolve("scratch").toString());
        site.put("hive.exec.local.scratchdir", work.resolve("local-scratch").toString());
        site.put("hive.querylog.location", work.resolve("logs").toString());
        site.put("hive.server2.logging.operation.log.location", work.resolve("logs/operations").toString());
        site.put("hive.execution.engine", "mr");
        site.put("mapreduce.framework.name", "local");
        site.put("hive.server2.thrift.bind.host", "127.0.0.1");
        site.put("hive.server2.thrift.port", Integer.toString(port));
        site.put("hive.server2.webui.port", "0");
        site.put("hive.server2.authentication", "NONE");
        site.put("hive.server2.enable.doAs", "false");
        site.put("hive.server2.max.start.attempts", "1");
        site.put("hive.exec.submit.local.task.via.child", "false");
        site.put("hive.metastore.event.db.notification.api.auth", "false");
        site.put("hive.metastore.schema.verification", "false");
        site.put("hive.stats.autogather", "false");
        site.put("hive.exec.dynamic.partition.mode", "nonstrict");
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<configuration>\n");
        site.forEach((name, value) -> xml.append("  <property><name>").append(name).append("</name><value>")
                .append(value.replace("&", "&amp;").replace("<", "&lt;")).append("</value></property>\n"));
        return xml.append("</configuration>\n").toString();
    }

    private static String classpath() {
        return BUILD.read("classpath.file");
    }

    private static Path metastoreHome() {
        try (Stream<Path> homes = Files.list(BUILD.path("metastore.dir"))) {
            return homes.filter(Files::isDirectory).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no metastore distribution under " + BUILD.get("metastore.dir")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
