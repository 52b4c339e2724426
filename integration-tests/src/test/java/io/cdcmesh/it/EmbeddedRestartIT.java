package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.Ports;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cdc-mesh run} with a topic-renaming transform in every sink's chain (the pipeline file of
 * EmbeddedRuntimeCrashIT): every sink's acknowledgements reach the source, its offsets are committed, nothing stays
 * held once the sinks caught up, and a clean restart captures and delivers only what is new.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class EmbeddedRestartIT {
    private static final String DB = "embedded_restart";
    private static final String AUDIT = "audit_restart";
    private static final String TARGET_TOPIC = "updates.restart";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work = WorkDir.fresh("embedded-restart");
    private final Closer closer = new Closer();
    private final HttpClient http = HttpClient.newHttpClient();
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        closer.close();
    }

    @Test
    void sinksThatRenameTopicsLetOffsetsBeCommittedAndARestartReplaysNothing(MySqlServer mysql, ElasticsearchServer es,
            HiveServer hive) throws Exception {
        StudioPipeline.createTables(mysql, DB);
        EmbeddedKafkaCluster kafka = closer.broker();
        kafka.createTopic(TARGET_TOPIC, 2);
        int port = Ports.freePort();
        String status = "http://127.0.0.1:" + port + "/api/status";
        Path pipeline = StudioPipeline.write(work.resolve("pipeline.json"), work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql,
                es, hive, kafka.bootstrapServers(), Map.of("status.port", Integer.toString(port)));
        Map<String, String> env = Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD);

        runtime = CdcMeshRuntime.start("cdc-mesh-restart-1", work, work.resolve("run-1.log"), env, "run", pipeline.toString());
        AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("state"))))
                .as("data.dir (offsets, schema history, dead letters): its owner's only").isEqualTo("rwx------");
        String table = AUDIT + "." + DB + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        AuditTables.writeTitlesWorkload(mysql, DB, 300, changes, table, hive);
        assertThat(StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes))
                .as("records repeated in the filtered topic").isZero();
        JsonNode first = awaitAllCommitted(status);
        assertThat(first.path("captured").asLong()).as("events captured: the snapshot's probe row and every change")
                .isGreaterThanOrEqualTo(changes.total(table));

        runtime.close();
        runtime = CdcMeshRuntime.start("cdc-mesh-restart-2", work, work.resolve("run-2.log"), env, "run", pipeline.toString());
        Await.until(Duration.ofSeconds(90), "the restarted runtime's status port", () -> get(status) != null);
        long before = changes.total(table);
        StudioPipeline.writeMoreTitles(mysql, DB, 100_001, 60, changes, table);
        long written = changes.total(table) - before;
        assertThat(StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes))
                .as("records repeated in the filtered topic after the restart").isZero();

        JsonNode second = awaitAllCommitted(status);
        assertThat(second.path("captured").asLong()).as("events captured after the restart: only the new changes")
                .isEqualTo(written);
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        // Each change once: written, or refused as stale when two bulk requests for one row crossed (that is
        // allowed); a replay would add to the count. Hive counts a replayed change as a duplicate.
        long handled = metric(metrics, "cdcmesh_elasticsearch_sink_task_documents_indexed{connector=\"search\",task=\"0\"}")
                + metric(metrics, "cdcmesh_elasticsearch_sink_task_documents_deleted{connector=\"search\",task=\"0\"}")
                + metric(metrics, "cdcmesh_elasticsearch_sink_task_stale_events_skipped{connector=\"search\",task=\"0\"}");
        assertThat(handled).as("changes Elasticsearch was sent after the restart").isEqualTo(written);
        assertThat(metric(metrics, "cdcmesh_hive_audit_sink_task_duplicates_skipped{connector=\"audit\",task=\"0\"}"))
                .as("changes the audit already had, delivered again").isZero();
    }

    /** Waits until every captured event is committed and each sink holds nothing it has not made durable. */
    private JsonNode awaitAllCommitted(String status) {
        return Await.value(Duration.ofSeconds(60), "every event committed and every sink caught up", () -> get(status), body -> {
            if (body == null || body.path("committed").asLong() != body.path("captured").asLong()) {
                return false;
            }
            for (JsonNode sink : body.path("sinks")) {
                if (sink.path("durable").asLong() != sink.path("delivered").asLong() || sink.path("queued").asLong() != 0) {
                    return false;
                }
            }
            return true;
        });
    }

    private static long metric(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).mapToLong(line -> Long.parseLong(
                line.substring(series.length() + 1).trim())).findFirst().orElseThrow(() -> new AssertionError("no " + series));
    }

    private JsonNode get(String url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
