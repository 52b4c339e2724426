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
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cdc-mesh run} with {@code errors.tolerance=all}: records a sink's transforms reject go, with the reason, to
 * the sink's dead-letter topic on Kafka (with Connect's {@code __connect.errors.*} headers) or, for a sink that names
 * no topic, to a dead-letter file; changes of a table without a primary key go to the source's dead-letter topic; the
 * pipeline keeps running and the other records arrive.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class EmbeddedDeadLetterIT {
    private static final String DB = "dlq_it";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path work = WorkDir.fresh("embedded-dead-letter");
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void rejectedRecordsAndKeylessChangesGoToTheirDeadLetterTopicOrFileWithTheReason(MySqlServer mysql, ElasticsearchServer es)
            throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100))",
                "INSERT INTO titles VALUES (1, 'Title 1'), (2, 'Title 2'), (3, 'Title 3'), (4, 'Title 4')",
                "CREATE TABLE play_log (event VARCHAR(50))", "INSERT INTO play_log VALUES ('snapshot')");
        EmbeddedKafkaCluster kafka = closer.broker();

        Map<String, String> runtimeSettings = new LinkedHashMap<>();
        runtimeSettings.put("data.dir", work.resolve("state").toString());
        runtimeSettings.put("dead.letter.bootstrap.servers", kafka.bootstrapServers());
        Map<String, String> source = Pipelines.mysqlSource(mysql, DB);
        // For a DELETE the condition reads a column the row does not have: the filter fails on every delete.
        Map<String, String> search = Pipelines.elasticsearchSink(es, DB);
        search.put("index.name.pattern", "dlq-search-${table}");
        search.put("transforms", "named");
        search.put("transforms.named.type", "io.cdcmesh.transforms.FilterChangeEvent");
        search.put("transforms.named.condition", "type != 'DELETE' || before.no_such_column == 1");
        search.put("errors.tolerance", "all");
        search.put("errors.deadletterqueue.topic.name", "dlq.search");
        Map<String, String> local = new LinkedHashMap<>(search);
        local.put("index.name.pattern", "dlq-local-${table}");
        local.remove("errors.deadletterqueue.topic.name");
        Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
        sinks.put("search", search);
        sinks.put("local", local);
        Path pipeline = CdcMeshRuntime.writePipeline(work.resolve("pipeline.json"), runtimeSettings, "studio", source, sinks);
        ManagedProcess runtime = closer.add(CdcMeshRuntime.start("cdc-mesh-dlq", work, work.resolve("run.log"), Map.of(), "run", pipeline.toString()));

        // The snapshot first (four rows in each index), so that the changes after it are streamed one by one.
        Await.until(Duration.ofSeconds(120), "the snapshot in both indexes",
                () -> IndexComparisons.count(es, "dlq-search-titles") == 4 && IndexComparisons.count(es, "dlq-local-titles") == 4);
        mysql.execute(DB, "DELETE FROM titles WHERE id IN (2, 3)", "INSERT INTO titles VALUES (5, 'Title 5')",
                "INSERT INTO play_log VALUES ('streamed')", "DELETE FROM play_log WHERE event = 'snapshot'");

        Await.until(Duration.ofSeconds(120), "five documents in each index (the deletes were dead-lettered)",
                () -> IndexComparisons.count(es, "dlq-search-titles") == 5 && IndexComparisons.count(es, "dlq-local-titles") == 5);

        List<ConsumerRecord<byte[], byte[]>> dead = Await.value(Duration.ofSeconds(60), "two records in dlq.search",
                () -> StudioPipeline.read(kafka.bootstrapServers(), "dlq.search"), r -> r.size() >= 2);
        assertThat(dead).hasSize(2);
        for (ConsumerRecord<byte[], byte[]> record : dead) {
            assertThat(ConnectWorkers.header(record, "__connect.errors.topic")).isEqualTo("studio." + DB + ".titles");
            assertThat(ConnectWorkers.header(record, "__connect.errors.connector.name")).isEqualTo("search");
            assertThat(ConnectWorkers.header(record, "__connect.errors.exception.message")).contains("no_such_column");
            assertThat(ConnectWorkers.header(record, "cdc.type")).isEqualTo("DELETE");
            assertThat(JSON.readTree(record.value()).path("type").asText()).isEqualTo("DELETE");
        }

        Path file = work.resolve("state/dead-letter/local.jsonl");
        List<String> lines = Await.value(Duration.ofSeconds(60), "two lines in " + file,
                () -> Files.exists(file) ? readLines(file) : List.<String>of(), l -> l.size() >= 2);
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode entry = JSON.readTree(line);
            assertThat(entry.path("topic").asText()).isEqualTo("studio." + DB + ".titles");
            assertThat(entry.path("error").asText()).contains("no_such_column");
            assertThat(entry.path("value").path("type").asText()).isEqualTo("DELETE");
        }
        List<ConsumerRecord<byte[], byte[]>> keyless = Await.value(Duration.ofSeconds(60), "three keyless changes in cdc-mesh.dlq.source",
                () -> StudioPipeline.read(kafka.bootstrapServers(), "cdc-mesh.dlq.source"), r -> r.size() >= 3);
        assertThat(keyless).hasSize(3).allSatisfy(record -> {
            assertThat(ConnectWorkers.header(record, "__connect.errors.topic")).isEqualTo("studio." + DB + ".play_log");
            assertThat(ConnectWorkers.header(record, "__connect.errors.stage")).isEqualTo("TRANSFORMATION");
            assertThat(ConnectWorkers.header(record, "__connect.errors.connector.name")).isEqualTo("studio");
            assertThat(ConnectWorkers.header(record, "__connect.errors.exception.message")).contains(DB + ".play_log has no primary key");
        });
        assertThat(keyless.stream().map(r -> jsonText(r.value())))
                .as("the Debezium change as JSON text").anySatisfy(v -> assertThat(v).contains("\"op\":\"r\"").contains("snapshot"))
                .anySatisfy(v -> assertThat(v).contains("\"op\":\"c\"").contains("streamed"))
                .anySatisfy(v -> assertThat(v).contains("\"op\":\"d\""));
        assertThat(runtime.isAlive()).as("the pipeline keeps running").isTrue();
    }

    /** A record value that is a JSON string, unquoted. */
    private static String jsonText(byte[] value) {
        try {
            return JSON.readTree(value).asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (Exception e) {
            return List.of();
        }
    }
}
