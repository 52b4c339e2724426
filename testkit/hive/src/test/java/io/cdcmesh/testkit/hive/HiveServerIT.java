package io.cdcmesh.testkit.hive;

import io.cdcmesh.servers.hive.HiveServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(HiveExtension.class)
class HiveServerIT {
    @Test
    void answersQueriesOverJdbcAndKeepsItsDataAcrossARestart(HiveServer hive) throws Exception {
        hive.execute("CREATE DATABASE IF NOT EXISTS testkit_self",
                "CREATE EXTERNAL TABLE testkit_self.`mixed Case` (`id` BIGINT, `table` STRING) PARTITIONED BY (`day` STRING)"
                        + " STORED AS TEXTFILE LOCATION '" + hive.externalWarehouse().resolve("testkit_self/mixed_case").toUri() + "'",
                "INSERT INTO testkit_self.`mixed Case` PARTITION (`day`='2026-11-23') VALUES (1, 'a'), (2, 'b')");
        assertThat(hive.query("SELECT `id`, `table` FROM testkit_self.`mixed Case` ORDER BY `id`"))
                .containsExactly(Map.of("id", 1L, "table", "a"), Map.of("id", 2L, "table", "b"));
        assertThat(Files.list(hive.externalWarehouse().resolve("testkit_self/mixed_case/day=2026-11-23"))).isNotEmpty();

        hive.stop();
        assertThat(hive.isRunning()).isFalse();
        hive.start();
        assertThat(hive.query("SELECT count(*) AS n FROM testkit_self.`mixed Case`")).isEqualTo(List.of(Map.of("n", 2L)));
    }
}
