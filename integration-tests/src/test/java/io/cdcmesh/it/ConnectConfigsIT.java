package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.testkit.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.ElasticsearchServer;
import io.cdcmesh.testkit.MariaDbExtension;
import io.cdcmesh.testkit.MariaDbServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.testkit.MySqlServer;
import io.cdcmesh.testkit.SqlServer;
import io.cdcmesh.testkit.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.testkit.hive.HiveServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every file in connect-configs/, unchanged, deployed with {@code cdc-mesh deploy} to a real distributed Connect
 * worker in its own JVM whose plugin.path holds only the built archives and Debezium's, with the environment the
 * files' {@code ${env:...}} references name: data flows from MySQL 8 into Elasticsearch, the Hive audit and the
 * filtered topic (and the MariaDB source runs too).
 */
@ExtendWith({MySqlExtension.class, MariaDbExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class ConnectConfigsIT {
    private static final String DB = "studio";

    private final Path work = WorkDir.fresh("connect-configs");
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void everyShippedConfigDeploysAndDataFlowsIntoEverySink(MySqlServer mysql, MariaDbServer mariadb, ElasticsearchServer es,
            HiveServer hive) throws Exception {
        for (SqlServer db : List.of(mysql, mariadb)) {
            db.recreateDatabase(DB);
            db.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), launch_date DATE)");
        }
        es.request("DELETE", "/" + DB + ".titles?ignore_unavailable=true", null);
        hive.execute("DROP DATABASE IF EXISTS audit CASCADE");
        EmbeddedKafkaCluster kafka = closer.broker();

        Map<String, String> env = new HashMap<>();
        env.put("CDC_MYSQL_HOST", mysql.host());
        env.put("CDC_MYSQL_PORT", Integer.toString(mysql.port()));
        env.put("CDC_MYSQL_USER", SqlServer.CDC_USER);
        env.put("CDC_MYSQL_PASSWORD", SqlServer.CDC_PASSWORD);
        env.put("CDC_MARIADB_HOST", mariadb.host());
        env.put("CDC_MARIADB_PORT", Integer.toString(mariadb.port()));
        env.put("CDC_MARIADB_USER", SqlServer.CDC_USER);
        env.put("CDC_MARIADB_PASSWORD", SqlServer.CDC_PASSWORD);
        env.put("CDC_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("CDC_KAFKA_REPLICATION_FACTOR", "1");
        env.put("CDC_ES_URL", es.url());
        env.put("CDC_ES_USER", "");
        env.put("CDC_ES_PASSWORD", "");
        env.put("CDC_HIVE_JDBC_URL", hive.jdbcUrl());
        env.put("CDC_HIVE_USER", "");
        env.put("CDC_HIVE_PASSWORD", "");
        env.put("CDC_HIVE_TABLE_LOCATION", hive.externalWarehouse().resolveSibling("audit-configs").toUri().toString());
        ConnectWorkerProcess worker = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "configs-it", "configs-it-1", env));

        Path configs = CdcMeshRuntime.jar().getParent().getParent().getParent().resolve("connect-configs");
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 300, "deploy", "--connect", worker.url(), configs.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isZero();
        for (String name : List.of("mysql-source", "mariadb-source", "elasticsearch-sink", "hive-audit-sink", "launch-moves-forward-sink")) {
            assertThat(deploy.output()).contains("created    " + name).containsPattern("RUNNING    " + name + " \\(\\d tasks?\\)");
        }

        // A workload: 200 titles, every fifth launch date moved, every seventh title deleted.
        int creates = 200;
        int moves = 0;
        int deletes = 0;
        try (Connection c = mysql.connect(DB); Statement s = c.createStatement()) {
            for (int id = 1; id <= creates; id++) {
                s.executeUpdate("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', '" + LocalDate.of(2027, 7, 1) + "')");
                if (id % 5 == 0) {
                    moves += s.executeUpdate("UPDATE titles SET launch_date = '2027-06-01' WHERE id = " + (id - 2));
                }
                if (id % 7 == 0) {
                    deletes += s.executeUpdate("DELETE FROM titles WHERE id = " + (id - 3));
                }
            }
        }
        mariadb.execute(DB, "INSERT INTO titles VALUES (1, 'From MariaDB', '2027-01-01')");

        Map<String, Map<String, Object>> rows = IndexComparisons.sourceRows(mysql, DB, "titles");
        Map<String, JsonNode> documents = Await.value(Duration.ofSeconds(180), "index studio.titles to equal the table",
                () -> IndexComparisons.documentsUnchecked(es, DB + ".titles"), docs -> docs.keySet().equals(rows.keySet()));
        rows.forEach((id, row) -> row.forEach((column, value) -> assertThat(IndexComparisons.normalize(documents.get(id).get(column)))
                .as("%s.%s", id, column).isEqualTo(value)));

        long changes = creates + moves + deletes;
        String audit = "audit." + DB + "_titles";
        // The shipped config rotates files every 60 s: the last rows land within that.
        Await.until(Duration.ofSeconds(180), audit + " to hold all " + changes + " changes", () -> AuditTables.rows(hive, audit) >= changes);
        assertThat(AuditTables.rows(hive, audit)).isEqualTo(changes);
        assertThat(AuditTables.duplicateUuids(hive, audit)).isEmpty();

        int expectedMoves = moves;
        List<ConsumerRecord<byte[], byte[]>> forwarded = Await.value(Duration.ofSeconds(120), "the launch moves in studio.launch-moves",
                () -> StudioPipeline.read(kafka.bootstrapServers(), "studio.launch-moves"), r -> r.size() >= expectedMoves);
        Set<String> uuids = forwarded.stream().map(r -> ConnectWorkers.header(r, "cdc.uuid")).collect(Collectors.toSet());
        assertThat(uuids).hasSize(moves);
        Set<Object> auditedMoves = hive.query("SELECT uuid FROM " + audit + " WHERE type = 'UPDATE'").stream()
                .map(r -> r.get("uuid")).collect(Collectors.toSet());
        assertThat(uuids).isEqualTo(auditedMoves.stream().map(String::valueOf).collect(Collectors.toSet()));

        Await.until(Duration.ofSeconds(120), "the MariaDB source's topic", () -> !StudioPipeline.read(kafka.bootstrapServers(),
                "studio-mariadb." + DB + ".titles").isEmpty());
    }
}
