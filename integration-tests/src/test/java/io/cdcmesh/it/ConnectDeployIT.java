package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cdc-mesh deploy}, {@code status} and {@code restart} against a real distributed Connect worker in its own JVM:
 * broken configs are refused with the worker's own field-level messages and nothing is applied; cross-connector
 * mistakes are refused before anything is applied; redeploying changes nothing, and a changed config reaches the
 * tasks.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectDeployIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work = WorkDir.fresh("connect-deploy");
    private final HttpClient http = HttpClient.newHttpClient();
    private final Closer closer = new Closer();
    private EmbeddedKafkaCluster kafka;
    private ConnectWorkerProcess worker;

    @BeforeAll
    void start() throws Exception {
        kafka = closer.broker();
        worker = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "deploy-it", "deploy-it-1",
                Map.of("CDC_DB_PASSWORD", SqlServer.CDC_PASSWORD)));
    }

    @AfterAll
    void stop() {
        closer.close();
    }

    @Test
    void brokenConfigsAreRefusedWithTheWorkersFieldMessagesAndNothingIsApplied() throws Exception {
        Path dir = Files.createDirectories(work.resolve("broken"));
        Map<String, String> forward = forward("fine-forward", "forwarded");
        write(dir.resolve("1-forward.json"), forward);
        Map<String, String> search = new LinkedHashMap<>();
        search.put("name", "bad-search");
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("topics", "studio.db.titles");
        search.put("connection.url", "not a url");
        search.put("behavior.on.null.values", "sometimes");
        write(dir.resolve("2-search.json"), search);
        Map<String, String> audit = new LinkedHashMap<>();
        audit.put("name", "bad-audit");
        audit.put("connector.class", "io.cdcmesh.sink.hive.HiveAuditSinkConnector");
        audit.put("topics", "studio.db.titles");
        audit.put("hive.jdbc.url", "jdbc:hive2://127.0.0.1:1/default");
        write(dir.resolve("3-audit.json"), audit);

        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), dir.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isEqualTo(2);
        assertThat(deploy.output())
                .containsPattern("2-search.json:\\d+: connector 'bad-search' key 'behavior.on.null.values': Invalid value sometimes")
                .containsPattern("2-search.json:\\d+: connector 'bad-search' key 'connection.url': .+")
                .containsPattern("3-audit.json:\\d+: connector 'bad-audit' key 'table.location': Missing required configuration")
                .contains("nothing was applied")
                .doesNotContain("fine-forward:");
        assertThat(connectors()).as("connectors on the worker").isEmpty();
    }

    @Test
    void aSinkNoSourceFeedsASourceThatSkipsDeletesAndALookupSinkBehindMaskedColumnsAreRefusedBeforeAnythingIsApplied(
            MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase("deploy_db");
        Path dir = Files.createDirectories(work.resolve("cross"));
        Map<String, String> source = new LinkedHashMap<>(mysql.debeziumConnection());
        source.put("name", "cross-source");
        source.put("database.password", "${env:CDC_DB_PASSWORD}");
        source.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        source.put("topic.prefix", "studio");
        source.put("database.include.list", "deploy_db");
        source.put("skipped.operations", "t,d");
        source.put("column.mask.with.8.chars", "deploy_db.people.ssn");
        source.put("schema.history.internal.kafka.bootstrap.servers", kafka.bootstrapServers());
        source.put("schema.history.internal.kafka.topic", "schema-history.cross");
        write(dir.resolve("1-source.json"), source);
        Map<String, String> search = new LinkedHashMap<>();
        search.put("name", "cross-search");
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("topics.regex", "studio\\.deploy_db\\..*");
        search.put("connection.url", es.url());
        write(dir.resolve("2-search.json"), search);
        write(dir.resolve("3-forward.json"), forward("cross-forward", "forwarded"));
        Map<String, String> lookup = new LinkedHashMap<>(search);
        lookup.put("name", "cross-lookup");
        lookup.put("document.source", "lookup");
        lookup.put("lookup.connection.url", "jdbc:mysql://127.0.0.1:" + mysql.port() + "/");
        write(dir.resolve("4-lookup.json"), lookup);

        // Each config is valid on its own (the worker says so); together they would lose deletes and starve a sink.
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), dir.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isEqualTo(2);
        assertThat(deploy.output())
                .containsPattern("1-source.json:\\d+: connector 'cross-source' key 'skipped.operations': skips deletes, so rows deleted"
                        + " at the source would stay in the index of sink 'cross-search'")
                .containsPattern("3-forward.json:\\d+: connector 'cross-forward' key 'topics': no source produces 'studio.db.titles'")
                .containsPattern("1-source.json:\\d+: connector 'cross-source' key 'column.mask.with.8.chars': masks or truncates"
                        + " column values, but sink 'cross-lookup' \\(document.source=lookup\\) re-reads rows")
                .contains("nothing was applied");
        assertThat(connectors()).isEmpty();
    }

    @Test
    void redeployingChangesNothingAndAChangedConfigReachesTheTasks() throws Exception {
        Path file = work.resolve("forward.json");
        write(file, forward("steady-forward", "forwarded-a"));
        CdcMeshRuntime.Result first = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), file.toString());
        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("created    steady-forward", "RUNNING    steady-forward (1 task)");
        JsonNode tasksBefore = get("/connectors/steady-forward/tasks");

        CdcMeshRuntime.Result again = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), file.toString());
        assertThat(again.exitCode()).as(again.output()).isZero();
        assertThat(again.output()).contains("unchanged  steady-forward").doesNotContain("updated");
        assertThat(get("/connectors/steady-forward/tasks")).isEqualTo(tasksBefore);

        write(file, forward("steady-forward", "forwarded-b"));
        CdcMeshRuntime.Result changed = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), file.toString());
        assertThat(changed.exitCode()).as(changed.output()).isZero();
        assertThat(changed.output()).contains("updated    steady-forward", "RUNNING    steady-forward (1 task)");
        io.cdcmesh.servers.Await.until(java.time.Duration.ofSeconds(60), "the task to run with the new target topic",
                () -> get("/connectors/steady-forward/tasks").path(0).path("config").path("target.topic").asText().equals("forwarded-b"));

        CdcMeshRuntime.Result status = CdcMeshRuntime.run(work, Map.of(), 60, "status", "--connect", worker.url(), "steady-forward");
        assertThat(status.exitCode()).as(status.output()).isZero();
        assertThat(status.output()).contains("steady-forward").contains("connector RUNNING, task 0 RUNNING");
        CdcMeshRuntime.Result pause = CdcMeshRuntime.run(work, Map.of(), 60, "pause", "--connect", worker.url(), "steady-forward");
        assertThat(pause.exitCode()).as(pause.output()).isZero();
        io.cdcmesh.servers.Await.until(java.time.Duration.ofSeconds(60), "the connector PAUSED",
                () -> get("/connectors/steady-forward/status").path("connector").path("state").asText().equals("PAUSED"));
        CdcMeshRuntime.Result paused = CdcMeshRuntime.run(work, Map.of(), 60, "status", "--connect", worker.url(), "steady-forward");
        assertThat(paused.exitCode()).as("status of a paused connector").isEqualTo(1);
        assertThat(paused.output()).contains("connector PAUSED");
        CdcMeshRuntime.Result resume = CdcMeshRuntime.run(work, Map.of(), 60, "resume", "--connect", worker.url(), "steady-forward");
        assertThat(resume.exitCode()).as(resume.output()).isZero();
        io.cdcmesh.servers.Await.until(java.time.Duration.ofSeconds(60), "the connector RUNNING again",
                () -> get("/connectors/steady-forward/status").path("connector").path("state").asText().equals("RUNNING"));
        CdcMeshRuntime.Result restart = CdcMeshRuntime.run(work, Map.of(), 120, "restart", "--connect", worker.url(), "steady-forward");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(restart.output()).contains("restarted  steady-forward", "RUNNING    steady-forward");
        CdcMeshRuntime.Result missing = CdcMeshRuntime.run(work, Map.of(), 60, "status", "--connect", worker.url(), "no-such-connector");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("no such connector");
        CdcMeshRuntime.Result unreachable = CdcMeshRuntime.run(work, Map.of(), 60, "status", "--connect", "http://127.0.0.1:9");
        assertThat(unreachable.exitCode()).isEqualTo(3);

        http.send(HttpRequest.newBuilder(URI.create(worker.url() + "/connectors/steady-forward")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    @Test
    void aTaskThatFailsAfterDeployIsReportedWithItsTrace() throws Exception {
        // Valid for the worker's validation (producer settings pass through), refused by the producer when the task starts.
        Map<String, String> config = forward("failing-forward", "forwarded-f");
        config.put("target.producer.max.request.size", "-5");
        Path file = work.resolve("failing.json");
        write(file, config);
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), "--timeout", "90",
                file.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isEqualTo(1);
        assertThat(deploy.output()).contains("created    failing-forward").contains("FAILED     failing-forward: task 0 FAILED")
                .contains("max.request.size");
        http.send(HttpRequest.newBuilder(URI.create(worker.url() + "/connectors/failing-forward")).DELETE().build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private Map<String, String> forward(String name, String target) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("name", name);
        config.put("connector.class", "io.cdcmesh.connectors.forward.TopicForwardSinkConnector");
        config.put("topics", "studio.db.titles");
        config.put("target.topic", target);
        config.put("target.bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    private static void write(Path file, Map<String, String> config) throws Exception {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), config);
    }

    private JsonNode connectors() throws Exception {
        return get("/connectors");
    }

    private JsonNode get(String path) {
        try {
            return JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(worker.url() + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
