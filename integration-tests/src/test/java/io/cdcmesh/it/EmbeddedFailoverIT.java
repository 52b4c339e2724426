package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.MySqlReplication;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.hive.HiveExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, point 1, in {@code cdc-mesh run}: the pipeline reads a MySQL 8 primary, the operator fails over to its
 * GTID replica (whose binlog files are numbered behind the primary's) and points the pipeline at it, and changes to
 * rows the index and the audit already hold go on there. The index equals the table field by field, and the audit
 * holds every change exactly once.
 */
@ExtendWith({ElasticsearchExtension.class, HiveExtension.class})
class EmbeddedFailoverIT {
    private static final String DB = "embedded_failover";
    private static final String AUDIT = "audit_failover";
    private static final String TARGET_TOPIC = "updates.failover";

    private final Path work = WorkDir.fresh("embedded-failover");
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
    void afterFailoverToAReplicaNumberedBehindTheSinksStillFollowTheTable(ElasticsearchServer es, HiveServer hive) throws Exception {
        try (MySqlReplication replication = MySqlReplication.start(61)) {
            MySqlServer primary = replication.primary();
            StudioPipeline.createTables(primary, DB);
            EmbeddedKafkaCluster kafka = closer.broker();
            kafka.createTopic(TARGET_TOPIC, 2);
            Map<String, String> env = Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD);
            Path pipeline = work.resolve("pipeline.json");
            StudioPipeline.write(pipeline, work.resolve("state"), DB, AUDIT, TARGET_TOPIC, primary, es, hive, kafka.bootstrapServers());
            // The primary's binlog numbering runs ahead of the replica's (FLUSH BINARY LOGS is not replicated).
            primary.execute(DB, "FLUSH BINARY LOGS", "FLUSH BINARY LOGS", "FLUSH BINARY LOGS");

            runtime = CdcMeshRuntime.start("cdc-mesh-failover-1", work, work.resolve("run-1.log"), env, "run", pipeline.toString());
            AuditTables.awaitStreaming(primary, hive, DB, AUDIT);
            String table = AUDIT + "." + DB + "_titles";
            AuditTables.Changes changes = new AuditTables.Changes();
            AuditTables.writeTitlesWorkload(primary, DB, 150, changes, table, hive);
            StudioPipeline.assertSinksEqualSource(primary, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
            long primarySequence = binlogSequence(primary);
            runtime.close();

            MySqlServer promoted = replication.failover();
            assertThat(binlogSequence(promoted)).as("the premise: the new primary's binlog is numbered behind")
                    .isLessThan(primarySequence);
            StudioPipeline.write(pipeline, work.resolve("state"), DB, AUDIT, TARGET_TOPIC, promoted, es, hive, kafka.bootstrapServers());
            runtime = CdcMeshRuntime.start("cdc-mesh-failover-2", work, work.resolve("run-2.log"), env, "run", pipeline.toString());
            try (Connection c = promoted.connect(DB); Statement s = c.createStatement()) {
                // Rows the sinks already hold, changed on the new primary: the old binlog fold would rank these below
                // their earlier versions, and Elasticsearch would keep the old ones.
                changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 10, name = CONCAT(name, ' after')"
                        + " WHERE id <= 40");
                changes.run(s, table, "DELETE", "DELETE FROM titles WHERE id BETWEEN 41 AND 50");
            }
            StudioPipeline.writeMoreTitles(promoted, DB, 100_001, 30, changes, table);
            StudioPipeline.assertSinksEqualSource(promoted, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
        }
    }

    private static long binlogSequence(MySqlServer server) {
        String file = server.queryValue("", "SHOW MASTER STATUS");
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }
}
