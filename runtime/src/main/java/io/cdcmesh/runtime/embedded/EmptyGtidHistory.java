package io.cdcmesh.runtime.embedded;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses a MySQL source whose server has GTID mode on and an empty GTID history (right after {@code RESET MASTER} /
 * {@code RESET BINARY LOGS AND GTIDS}, or on a server nothing was written to). Debezium 3.5 would take its snapshot
 * and then stop with a {@code NullPointerException} in {@code GtidSet}: its binlog client cannot stream from an
 * empty set (found by ResetMasterIT). One transaction on the server is enough to start.
 */
final class EmptyGtidHistory {
    private static final int TIMEOUT_MS = 5_000;

    private EmptyGtidHistory() {}

    /** The problem, or empty if there is none or the server cannot be asked now (the engine then reports and retries). */
    static Optional<String> problem(Map<String, String> source) {
        if (!source.getOrDefault("connector.class", "").trim().equals("io.debezium.connector.mysql.MySqlConnector")) {
            return Optional.empty();
        }
        try (Connection c = SourceJdbc.connect(source, TIMEOUT_MS); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@GLOBAL.gtid_mode, @@GLOBAL.gtid_executed")) {
            if (rs.next() && "ON".equalsIgnoreCase(rs.getString(1)) && isBlank(rs.getString(2))) {
                return Optional.of("the MySQL server at " + source.get("database.hostname") + ":" + source.getOrDefault("database.port",
                        "3306") + " has GTID mode on and an empty GTID history (gtid_executed), as right after RESET MASTER or on a"
                        + " server nothing was written to yet. Debezium cannot stream from an empty GTID history (it would"
                        + " snapshot, then stop). Start after the first transaction on the server; after a reset, also raise"
                        + " position.epoch of NormalizeChangeEvent by one and take a new snapshot (README, Guarantees)");
            }
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private static boolean isBlank(String gtids) {
        return gtids == null || gtids.isBlank();
    }
}
