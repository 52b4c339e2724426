package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MySqlReplication;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
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
 * Issue 16, point 1, on Kafka Connect: the pipeline of EmbeddedFailoverIT deployed to a Connect worker in its own JVM
 * reads a MySQL 8 primary; after the failover to its GTID replica (binlog numbered behind) the operator redeploys the
 * source pointed at the new primary. Changes to rows the sinks already hold go on there, and the index equals the
 * table field by field, the audit holds every change exactly once.
 */
@ExtendWith({ElasticsearchExtension.class, HiveExtension.class})
class ConnectFailoverIT {
    private static final String DB = "connect_failover";
    private static final String AUDIT = "audit_connect_failover";
    private static final String TARGET_TOPIC = "updates.connect.failover";

    private final Path work = WorkDir.fresh("connect-failover");
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void afterFailoverAndARedeployTheSinksStillFollowTheTable(ElasticsearchServer es, HiveServer hive) throws Exception {
        try (MySqlReplication replication = MySqlReplication.start(71)) {
            MySqlServer primary = replication.primary();
            StudioPipeline.createTables(primary, DB);
            primary.execute(DB, "FLUSH BINARY LOGS", "FLUSH BINARY LOGS", "FLUSH BINARY LOGS");
            EmbeddedKafkaCluster kafka = closer.broker();
            kafka.createTopic(TARGET_TOPIC, 2);
            ConnectWorkerProcess worker = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "connect-failover",
                    "connect-failover-1", Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD)));
            Path pipeline = work.resolve("pipeline.json");
            StudioPipeline.write(pipeline, work.resolve("state"), DB, AUDIT, TARGET_TOPIC, primary, es, hive, kafka.bootstrapServers());
            deploy(worker, pipeline);

            AuditTables.awaitStreaming(primary, hive, DB, AUDIT);
            String table = AUDIT + "." + DB + "_titles";
            AuditTables.Changes changes = new AuditTables.Changes();
            AuditTables.writeTitlesWorkload(primary, DB, 150, changes, table, hive);
            StudioPipeline.assertSinksEqualSource(primary, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);

            MySqlServer promoted = replication.failover();
            StudioPipeline.write(pipeline, work.resolve("state"), DB, AUDIT, TARGET_TOPIC, promoted, es, hive, kafka.bootstrapServers());
            deploy(worker, pipeline);
            try (Connection c = promoted.connect(DB); Statement s = c.createStatement()) {
                changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 10, name = CONCAT(name, ' after')"
                        + " WHERE id <= 40");
                changes.run(s, table, "DELETE", "DELETE FROM titles WHERE id BETWEEN 41 AND 50");
            }
            StudioPipeline.writeMoreTitles(promoted, DB, 100_001, 30, changes, table);
            StudioPipeline.assertSinksEqualSource(promoted, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
        }
    }

    private void deploy(ConnectWorkerProcess worker, Path pipeline) throws Exception {
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 300, "deploy", "--connect", worker.url(), pipeline.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isZero();
        assertThat(deploy.output()).contains("RUNNING    studio (1 task)");
    }
}
