package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.hive.HiveExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, point 2, in {@code cdc-mesh run}: the pipeline is stopped, rows the sinks hold change and new ones come,
 * the binlog is reset ({@code RESET MASTER}: its numbering and the GTID history start again), and the operator
 * restarts the pipeline as the README's Guarantees say: {@code position.epoch} raised by one, with
 * {@code snapshot.mode=when_needed}, which takes a new snapshot because the offset is gone from the server. The index
 * then equals the table, the rows changed while the pipeline was stopped and the deletes streamed after the restart
 * included; the audit holds the new snapshot's observations and every streamed change once.
 */
@ExtendWith({ElasticsearchExtension.class, HiveExtension.class})
class ResetMasterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "reset_master";
    private static final String AUDIT = "audit_reset";
    private static final String TARGET_TOPIC = "updates.reset";

    private final Path work = WorkDir.fresh("reset-master");
    private final Closer closer = new Closer();
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        closer.close();
    }

    @Test
    void afterAResetANewEpochAndANewSnapshotTheSinksFollowTheTableAgain(ElasticsearchServer es, HiveServer hive) throws Exception {
        try (MySqlServer mysql = MySqlServer.launch(MySqlServer.Options.gtid(71))) {
            StudioPipeline.createTables(mysql, DB);
            EmbeddedKafkaCluster kafka = closer.broker();
            kafka.createTopic(TARGET_TOPIC, 2);
            Map<String, String> env = Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD);
            Path pipeline = work.resolve("pipeline.json");
            StudioPipeline.write(pipeline, work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql, es, hive, kafka.bootstrapServers());

            runtime = CdcMeshRuntime.start("cdc-mesh-reset-1", work, work.resolve("run-1.log"), env, "run", pipeline.toString());
            AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);
            String table = AUDIT + "." + DB + "_titles";
            AuditTables.Changes changes = new AuditTables.Changes();
            AuditTables.writeTitlesWorkload(mysql, DB, 150, changes, table, hive);
            StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
            runtime.close();

            // While the pipeline is stopped: rows the sinks hold change, a new one comes, and then the binlog that
            // held those changes is gone. Only a new snapshot can bring them.
            mysql.execute(DB, "UPDATE titles SET revision = revision + 100, name = CONCAT(name, ' while stopped') WHERE id <= 60",
                    "INSERT INTO titles VALUES (90001, 'While stopped', 0)", "RESET MASTER");

            // The README's procedure: the next epoch, and a snapshot because the offset is no longer on the server.
            StudioPipeline.write(pipeline, work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql, es, hive, kafka.bootstrapServers());
            ObjectNode root = (ObjectNode) JSON.readTree(pipeline.toFile());
            ((ObjectNode) root.path("source").path("config")).put("snapshot.mode", "when_needed")
                    .put("transforms.normalize.position.epoch", "2");
            JSON.writerWithDefaultPrettyPrinter().writeValue(pipeline.toFile(), root);
            // Right after the reset the GTID history is empty, and Debezium 3.5's binlog client cannot stream from an
            // empty set (it would snapshot, then stop): cdc-mesh run refuses to start, saying so, and touches nothing.
            CdcMeshRuntime.Result refused = CdcMeshRuntime.run(work, env, 120, "run", pipeline.toString());
            assertThat(refused.exitCode()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).contains("empty GTID history").contains("first transaction");
            // The application writes on; then it starts.
            mysql.execute(DB, "INSERT INTO titles VALUES (90002, 'After the reset', 0)");
            long rowsAtRestart = Long.parseLong(mysql.queryValue(DB, "SELECT COUNT(*) FROM titles"));
            runtime = CdcMeshRuntime.start("cdc-mesh-reset-2", work, work.resolve("run-2.log"), env, "run", pipeline.toString());
            Await.until(Duration.ofSeconds(180), "the new snapshot of " + rowsAtRestart + " titles in the audit",
                    () -> AuditTables.typeCounts(hive, table).getOrDefault("READ", 0L) >= rowsAtRestart);
            changes.add(table, "READ", rowsAtRestart);

            // Streamed after the new snapshot: changes to rows, deletes, new rows.
            try (Connection c = mysql.connect(DB); Statement s = c.createStatement()) {
                changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 1000, name = CONCAT(name, ' after')"
                        + " WHERE id <= 20");
                changes.run(s, table, "DELETE", "DELETE FROM titles WHERE id BETWEEN 61 AND 75");
            }
            StudioPipeline.writeMoreTitles(mysql, DB, 100_001, 30, changes, table);
            StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
        }
    }
}
