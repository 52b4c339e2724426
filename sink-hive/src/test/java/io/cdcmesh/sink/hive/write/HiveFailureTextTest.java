package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class HiveFailureTextTest {

    @Test
    void aFailedInsertNamesItsTableAndErrorCodeButNoRow() {
        SQLException server = new SQLException("Error while compiling statement: FAILED: cannot recognize input near"
                + " 'ROW-SENTINEL-1' ','", "42000", 40000);
        HiveUnavailableException failure = HiveCatalog.unavailable("INSERT INTO `audit`.`shop_orders` PARTITION (`day`='2026-12-07')"
                + " (`uuid`, `after_note`) VALUES ('u1', 'ROW-SENTINEL-1')", server);

        assertThat(failure.getMessage()).isEqualTo("HiveServer2 did not complete INSERT INTO `audit`.`shop_orders` PARTITION"
                + " (`day`='2026-12-07') (`uuid`, `after_note`) VALUES (rows withheld): SQLState 42000, error 40000");
        assertThat(failure.getCause()).as("the server's message stays out of stack traces too").isNull();
    }

    @Test
    void aFailedDdlStatementKeepsTheServersMessage() {
        HiveUnavailableException failure = HiveCatalog.unavailable("ALTER TABLE `audit`.`t` ADD COLUMNS (`x` STRING)",
                new SQLException("metastore is away", "08S01"));
        assertThat(failure.getMessage()).endsWith(": metastore is away");
    }
}
