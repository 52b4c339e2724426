package io.cdcmesh.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.MySqlReplication;
import io.cdcmesh.servers.MySqlServer;
import org.junit.jupiter.api.Test;

/** The primary-and-replica kit the position tests stand on: replication by GTID, and a failover users do. */
class MySqlReplicationIT {

    @Test
    void afterFailoverTheReplicaTakesWritesUnderItsOwnGtidsAndLowerBinlogNumbers() {
        try (MySqlReplication replication = MySqlReplication.start(21)) {
            MySqlServer primary = replication.primary();
            primary.recreateDatabase("shop");
            primary.execute("shop", "CREATE TABLE orders (id INT PRIMARY KEY, total INT)", "INSERT INTO orders VALUES (1, 10)",
                    "FLUSH BINARY LOGS", "FLUSH BINARY LOGS", "UPDATE orders SET total = 11 WHERE id = 1");
            String primaryUuid = primary.queryValue("", "SELECT @@GLOBAL.server_uuid");
            String primaryFile = binlogFile(primary);

            MySqlServer promoted = replication.failover();
            assertThat(replication.writable()).isSameAs(promoted).isSameAs(replication.replica());
            assertThat(promoted.queryValue("shop", "SELECT total FROM orders WHERE id = 1")).isEqualTo("11");
            promoted.execute("shop", "UPDATE orders SET total = 12 WHERE id = 1");

            String promotedUuid = promoted.queryValue("", "SELECT @@GLOBAL.server_uuid");
            assertThat(promotedUuid).isNotEqualTo(primaryUuid);
            assertThat(promoted.queryValue("", "SELECT @@GLOBAL.gtid_executed").replace("\n", ""))
                    .as("the replica holds the primary's transactions and, since the failover, its own")
                    .contains(primaryUuid + ":1-").contains(promotedUuid + ":1");
            assertThat(sequence(binlogFile(promoted))).as("binlog numbering is per server")
                    .isLessThan(sequence(primaryFile));
        }
    }

    private static String binlogFile(MySqlServer server) {
        return server.queryValue("", "SHOW MASTER STATUS");
    }

    private static int sequence(String binlogFile) {
        return Integer.parseInt(binlogFile.substring(binlogFile.lastIndexOf('.') + 1));
    }
}
