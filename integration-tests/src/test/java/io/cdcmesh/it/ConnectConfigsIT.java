package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MariaDbExtension;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
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
 * filtered topic (and the MariaDB source runs too). The databases are ordinary ones: a log table without a primary key
 * and a table of extreme values sit beside the others, and the sources stay RUNNING.
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
    void everyShippedConfigDeploysAndDataFlowsIntoEverySinkWhileKeylessChangesAreSetAside(MySqlServer mysql, MariaDbServer mariadb,
            ElasticsearchServer es, HiveServer hive) throws Exception {
        for (SqlServer db : List.of(mysql, mariadb)) {
            db.recreateDatabase(DB);
            db.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), launch_date DATE)");
            db.execute(DB, "CREATE TABLE play_log (event VARCHAR(50), at DATETIME(6))");
            db.execute(DB, "INSERT INTO play_log VALUES ('snapshot-1', '2026-01-01 00:00:00'), ('snapshot-2', NULL),"
                    + " ('snapshot-2', NULL)");
        }
        mysql.execute(DB, "CREATE TABLE extremes (id BIGINT UNSIGNED PRIMARY KEY, u INT UNSIGNED, t TIME(6), dt DATETIME(6))");
        mysql.execute(DB, "INSERT INTO extremes VALUES (18446744073709551615, 4294967295, '838:59:59', '1000-01-01 00:00:00')");
        for (String index : List.of("titles", "extremes", "play_log")) {
            es.request("DELETE", "/" + DB + "." + index + "?ignore_unavailable=true", null);
        }
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
        // Through the binlog: a keyless table's insert, update and delete, and extreme values (a key past 2^63).
        for (SqlServer db : List.of(mysql, mariadb)) {
            db.execute(DB, "INSERT INTO play_log VALUES ('streamed', '2026-01-02 00:00:00')");
            db.execute(DB, "UPDATE play_log SET at = '2026-01-03 00:00:00' WHERE event = 'streamed'");
            db.execute(DB, "DELETE FROM play_log WHERE event = 'snapshot-1'");
        }
        mysql.execute(DB, "INSERT INTO extremes VALUES (18446744073709551614, 4294967295, '-838:59:59',"
                + " '9999-12-31 23:59:59.999999'), (0, 0, '00:00:00', '2026-07-04 12:00:00.000001')");
        mysql.execute(DB, "UPDATE extremes SET t = '-00:00:01' WHERE id = 18446744073709551615");

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

        Map<String, JsonNode> extremes = Await.value(Duration.ofSeconds(120), "index studio.extremes to hold the final rows",
                () -> IndexComparisons.documentsUnchecked(es, DB + ".extremes"),
                docs -> docs.size() == 3 && "-00:00:01".equals(docs.get("18446744073709551615").path("t").asText()));
        assertThat(extremes.get("18446744073709551615").get("id").bigIntegerValue()).hasToString("18446744073709551615");
        assertThat(extremes.get("18446744073709551615").get("u").asLong()).isEqualTo(4_294_967_295L);
        assertThat(extremes.get("18446744073709551615").get("dt").asText()).isEqualTo("1000-01-01T00:00");
        assertThat(extremes.get("18446744073709551614").get("u").asLong()).as("INT UNSIGNED max through the binlog")
                .isEqualTo(4_294_967_295L);
        assertThat(extremes.get("18446744073709551614").get("t").asText()).isEqualTo("-838:59:59");
        assertThat(extremes.get("18446744073709551614").get("dt").asText()).isEqualTo("9999-12-31T23:59:59.999999");
        assertThat(extremes.get("0").get("dt").asText()).isEqualTo("2026-07-04T12:00:00.000001");
        Await.until(Duration.ofSeconds(180), "audit.studio_extremes to hold all 4 changes",
                () -> AuditTables.rows(hive, "audit." + DB + "_extremes") >= 4);
        assertThat(hive.query("SELECT after_t FROM audit." + DB + "_extremes WHERE type = 'UPDATE'"))
                .extracting(r -> r.get("after_t")).containsExactly("-00:00:01");

        // Every keyless change (3 snapshot rows, insert, update, delete) in the source's own dead-letter topic.
        for (String source : List.of("mysql-source", "mariadb-source")) {
            String topic = source.equals("mysql-source") ? "studio.studio.play_log" : "studio-mariadb.studio.play_log";
            List<ConsumerRecord<byte[], byte[]>> dead = Await.value(Duration.ofSeconds(120), "6 dead letters of " + source,
                    () -> StudioPipeline.read(kafka.bootstrapServers(), "cdc-mesh.dlq." + source), r -> r.size() >= 6);
            assertThat(dead).hasSize(6).allSatisfy(r -> {
                assertThat(ConnectWorkers.header(r, "__connect.errors.topic")).isEqualTo(topic);
                assertThat(ConnectWorkers.header(r, "__connect.errors.stage")).isEqualTo("TRANSFORMATION");
                assertThat(ConnectWorkers.header(r, "__connect.errors.exception.message"))
                        .contains("studio.play_log has no primary key").contains("key.columns")
                        .doesNotContain("snapshot-1").doesNotContain("streamed");
            });
            // The worker's JSON converter: {"schema":{"type":"string"},"payload":"<the change as JSON text>"}.
            assertThat(dead.stream().map(r -> payload(r.value())))
                    .anySatisfy(v -> assertThat(v).contains("\"op\":\"u\"").contains("streamed"))
                    .anySatisfy(v -> assertThat(v).contains("\"op\":\"d\"").contains("snapshot-1"));
            assertThat(connectorState(worker, source)).as(source + " after its keyless changes")
                    .isEqualTo("RUNNING/RUNNING");
        }
        assertThat(IndexComparisons.count(es, DB + ".play_log")).as("no index of a keyless table").isEqualTo(-1);
    }

    private static String payload(byte[] value) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(value).path("payload").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The connector's state and its one task's, as Connect's REST API reports them: e.g. RUNNING/RUNNING. */
    private static String connectorState(ConnectWorkerProcess worker, String name) throws Exception {
        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(worker.url() + "/connectors/" + name + "/status")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        JsonNode status = new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body());
        return status.path("connector").path("state").asText() + "/" + status.path("tasks").path(0).path("state").asText();
    }
}
