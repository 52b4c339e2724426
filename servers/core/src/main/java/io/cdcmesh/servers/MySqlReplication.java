package io.cdcmesh.servers;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * A MySQL 8 primary and a GTID replica on loopback, and the planned failover operators do: the primary stops
 * taking writes, the replica catches up, the primary stops, and the replica becomes a writable primary. Binlog
 * numbering stays per server ({@code FLUSH BINARY LOGS} is not replicated), so coordinates can be made to go back.
 */
public final class MySqlReplication implements AutoCloseable {
    private static final String REPLICATION_USER = "repl";
    private static final String REPLICATION_PASSWORD = "repl-secret";

    private final MySqlServer primary;
    private final MySqlServer replica;
    private boolean failedOver;

    private MySqlReplication(MySqlServer primary, MySqlServer replica) {
        this.primary = primary;
        this.replica = replica;
    }

    /** Starts both servers (with {@code extraFlags} on each) and replication between them; the caller closes it. */
    public static MySqlReplication start(int firstServerId, String... extraFlags) {
        MySqlServer primary = MySqlServer.launch(MySqlServer.Options.gtid(firstServerId, extraFlags));
        MySqlServer replica = null;
        try {
            replica = MySqlServer.launch(MySqlServer.Options.gtid(firstServerId + 1, extraFlags));
            primary.execute("", "SET sql_log_bin=0",
                    "CREATE USER '" + REPLICATION_USER + "'@'%' IDENTIFIED WITH mysql_native_password BY '" + REPLICATION_PASSWORD + "'",
                    "GRANT REPLICATION SLAVE ON *.* TO '" + REPLICATION_USER + "'@'%'");
            replica.execute("", "CHANGE REPLICATION SOURCE TO SOURCE_HOST='" + primary.host() + "', SOURCE_PORT=" + primary.port()
                    + ", SOURCE_USER='" + REPLICATION_USER + "', SOURCE_PASSWORD='" + REPLICATION_PASSWORD
                    + "', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1", "START REPLICA", "SET GLOBAL super_read_only=ON");
            MySqlReplication replication = new MySqlReplication(primary, replica);
            replication.awaitReplicaCaughtUp();
            return replication;
        } catch (RuntimeException e) {
            primary.close();
            if (replica != null) {
                replica.close();
            }
            throw e;
        }
    }

    /** The server taking writes: the primary, or the replica after {@link #failover()}. */
    public MySqlServer writable() {
        return failedOver ? replica : primary;
    }

    public MySqlServer primary() {
        return primary;
    }

    public MySqlServer replica() {
        return replica;
    }

    /** Waits until the replica has executed every transaction the primary has. */
    public void awaitReplicaCaughtUp() {
        String executed = primary.queryValue("", "SELECT @@GLOBAL.gtid_executed").replace("\n", "");
        Await.until(Duration.ofSeconds(60), "the replica to execute " + executed, () -> {
            String error = replicationError();
            if (error != null) {
                throw new Await.Abort("replication stopped on the replica: " + error, null);
            }
            return "0".equals(replica.queryValue("", "SELECT WAIT_FOR_EXECUTED_GTID_SET('" + executed + "', 1)"));
        });
    }

    /** The replica's last I/O or SQL thread error, or null. */
    private String replicationError() {
        try (Connection connection = replica.connect(""); Statement statement = connection.createStatement();
                ResultSet status = statement.executeQuery("SHOW REPLICA STATUS")) {
            if (!status.next()) {
                return "the replica has no replication configured";
            }
            String io = status.getString("Last_IO_Error");
            String sql = status.getString("Last_SQL_Error");
            String error = (io == null ? "" : io) + (sql == null ? "" : sql);
            return error.isEmpty() ? null : error;
        } catch (SQLException e) {
            throw new IllegalStateException("SHOW REPLICA STATUS failed: " + e.getMessage(), e);
        }
    }

    /**
     * The planned failover: the primary becomes read-only, the replica catches up, the primary is stopped, and
     * the replica stops replicating and takes writes. Returns the new primary.
     */
    public MySqlServer failover() {
        if (failedOver) {
            throw new IllegalStateException("already failed over to " + replica.host() + ":" + replica.port());
        }
        primary.execute("", "SET GLOBAL super_read_only=ON");
        awaitReplicaCaughtUp();
        primary.close();
        replica.execute("", "STOP REPLICA", "RESET REPLICA ALL", "SET GLOBAL super_read_only=OFF", "SET GLOBAL read_only=OFF");
        failedOver = true;
        return replica;
    }

    @Override
    public void close() {
        replica.close();
        primary.close();
    }
}
