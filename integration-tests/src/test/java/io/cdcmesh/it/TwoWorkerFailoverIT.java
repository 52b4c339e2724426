package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two distributed Connect workers (own JVMs) in one group run the studio pipeline, deployed with {@code cdc-mesh
 * deploy}. One is killed with SIGKILL mid-stream: its connectors and tasks move to the other, and afterwards the index
 * equals the table, every change is in Hive exactly once and the filtered topic holds every update.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class TwoWorkerFailoverIT {
    private static final String DB = "failover_it";
    private static final String AUDIT = "audit_failover";
    private static final String TARGET_TOPIC = "updates.failover";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work = WorkDir.fresh("two-worker-failover");
    private final Closer closer = new Closer();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void tasksOfAKilledWorkerMoveToTheOtherAndTheSinksStillEqualTheSource(MySqlServer mysql, ElasticsearchServer es, HiveServer hive)
            throws Exception {
        StudioPipeline.createTables(mysql, DB);
        EmbeddedKafkaCluster kafka = closer.broker();
        kafka.createTopic(TARGET_TOPIC, 2);
        Map<String, String> env = Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD);
        ConnectWorkerProcess first = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "failover", "failover-1", env));
        ConnectWorkerProcess second = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "failover", "failover-2", env));

        Path pipeline = StudioPipeline.write(work.resolve("pipeline.json"), work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql, es,
                hive, kafka.bootstrapServers());
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 300, "deploy", "--connect", first.url(), pipeline.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isZero();
        List<String> connectors = List.of("studio", "search", "audit", "updates");
        Await.until(Duration.ofSeconds(60), "work spread over both workers", () -> workersOf(second, connectors).size() == 2);

        AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);
        String table = AUDIT + "." + DB + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        CompletableFuture<Void> workload = CompletableFuture.runAsync(
                () -> AuditTables.writeTitlesWorkload(mysql, DB, 1_200, changes, table, hive));
        Await.until(Duration.ofSeconds(180), "400 audit rows before the kill", () -> AuditTables.rows(hive, table) >= 400);
        assertThat(workload).as("the workload is still running at the kill").isNotDone();
        String killed = URI.create(first.url()).getHost() + ":" + URI.create(first.url()).getPort();
        first.kill();

        Await.until(Duration.ofSeconds(120), "every connector and task RUNNING on the surviving worker", () -> {
            Set<String> workers = workersOf(second, connectors);
            return workers.size() == 1 && !workers.contains(killed) && allRunning(second, connectors);
        });
        workload.get(5, TimeUnit.MINUTES);
        StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
    }

    /** The worker ids running the connectors and their tasks, as the surviving worker's REST API reports them. */
    private Set<String> workersOf(ConnectWorkerProcess worker, List<String> connectors) {
        Set<String> workers = new HashSet<>();
        for (String name : connectors) {
            JsonNode status = status(worker, name);
            if (status == null) {
                return Set.of();
            }
            workers.add(status.path("connector").path("worker_id").asText());
            status.path("tasks").forEach(t -> workers.add(t.path("worker_id").asText()));
        }
        return workers;
    }

    private boolean allRunning(ConnectWorkerProcess worker, List<String> connectors) {
        for (String name : connectors) {
            JsonNode status = status(worker, name);
            if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText()) || status.path("tasks").isEmpty()) {
                return false;
            }
            for (JsonNode task : status.path("tasks")) {
                if (!"RUNNING".equals(task.path("state").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    private JsonNode status(ConnectWorkerProcess worker, String connector) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(worker.url() + "/connectors/" + connector
                    + "/status")).build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        } catch (Exception e) {
            return null;
        }
    }
}
