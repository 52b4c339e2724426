package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.servers.Await;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipeline file {@code cdc-mesh run} takes (the one EmbeddedRuntimeCrashIT kills three times), deployed unchanged
 * with {@code cdc-mesh deploy} to a real distributed Connect worker in its own JVM, gives the same results, checked by
 * the same assertions: no behaviour of the sinks depends on the runtime. Every sink renames its topics in its own
 * chain; their offsets are committed all the same, and a new worker taking over replays nothing they acknowledged.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class SamePipelineInConnectIT {
    private static final String DB = "same_pipeline";
    private static final String AUDIT = "audit_same";
    private static final String TARGET_TOPIC = "updates.same";

    private final Path work = WorkDir.fresh("same-pipeline-in-connect");
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void theEmbeddedPipelineFileDeployedToAConnectWorkerGivesTheSameResults(MySqlServer mysql, ElasticsearchServer es, HiveServer hive)
            throws Exception {
        StudioPipeline.createTables(mysql, DB);
        EmbeddedKafkaCluster kafka = closer.broker();
        kafka.createTopic(TARGET_TOPIC, 2);
        // The worker resolves ${env:CDC_DB_PASSWORD} itself, as the embedded runtime does.
        ConnectWorkerProcess worker = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "same-pipeline", "same-pipeline-1",
                Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD)));

        Path pipeline = StudioPipeline.write(work.resolve("pipeline.json"), work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql, es,
                hive, kafka.bootstrapServers());
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 300, "deploy", "--connect", worker.url(), pipeline.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isZero();
        assertThat(deploy.output()).contains("created    studio", "created    search", "created    audit", "created    updates",
                "RUNNING    studio (1 task)", "RUNNING    search (1 task)", "RUNNING    audit (1 task)", "RUNNING    updates (1 task)");

        AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);
        String table = AUDIT + "." + DB + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        AuditTables.writeTitlesWorkload(mysql, DB, 600, changes, table, hive);
        int repeated = StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
        assertThat(repeated).as("records repeated in the filtered topic without any crash").isZero();

        // Every sink renames its topics in its chain; each still commits the partitions it consumed, to their end.
        String titles = "studio." + DB + ".titles";
        String probe = "studio." + DB + ".probe";
        CommittedOffsets.awaitAtEnd(kafka.bootstrapServers(), Map.of("connect-search", List.of(titles, probe),
                "connect-audit", List.of(titles, probe), "connect-updates", List.of(titles)));

        // A new worker takes over from the committed offsets: it replays nothing the sinks acknowledged.
        worker.close();
        ConnectWorkerProcess again = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "same-pipeline",
                "same-pipeline-2", Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD)));
        for (String connector : List.of("studio", "search", "audit", "updates")) {
            Await.until(Duration.ofSeconds(120), connector + " RUNNING on the new worker",
                    () -> again.taskStates(connector).equals(List.of("RUNNING")));
        }
        long before = changes.total(table);
        StudioPipeline.writeMoreTitles(mysql, DB, 100_001, 60, changes, table);
        long written = changes.total(table) - before;
        repeated = StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
        assertThat(repeated).as("records repeated in the filtered topic after the restart").isZero();
        try (JMXConnector jmx = again.jmx()) {
            MBeanServerConnection beans = jmx.getMBeanServerConnection();
            Await.until(Duration.ofSeconds(60), "the sinks to hold nothing unacknowledged",
                    () -> attribute(beans, "elasticsearch-sink-task", "search", "BufferedRecords") == 0
                            && attribute(beans, "hive-audit-sink-task", "audit", "BufferedRows") == 0
                            && attribute(beans, "forward-sink-task", "updates", "RecordsInFlight") == 0);
            // Each change once: written, or refused as stale when two bulk requests for one row crossed (allowed);
            // a replay would add to the count.
            assertThat(attribute(beans, "elasticsearch-sink-task", "search", "DocumentsIndexed")
                    + attribute(beans, "elasticsearch-sink-task", "search", "DocumentsDeleted")
                    + attribute(beans, "elasticsearch-sink-task", "search", "StaleEventsSkipped"))
                    .as("changes Elasticsearch was sent after the restart").isEqualTo(written);
            assertThat(attribute(beans, "hive-audit-sink-task", "audit", "DuplicatesSkipped"))
                    .as("changes the audit already had, delivered again after the restart").isZero();
        }
        CommittedOffsets.awaitAtEnd(kafka.bootstrapServers(), Map.of("connect-search", List.of(titles, probe),
                "connect-audit", List.of(titles, probe), "connect-updates", List.of(titles)));
    }

    private static long attribute(MBeanServerConnection beans, String type, String connector, String name) {
        try {
            return ((Number) beans.getAttribute(new ObjectName("io.cdcmesh:type=" + type + ",connector=\"" + connector
                    + "\",task=\"0\""), name)).longValue();
        } catch (Exception e) {
            throw new IllegalStateException("No " + name + " of " + connector + " yet", e);
        }
    }
}
