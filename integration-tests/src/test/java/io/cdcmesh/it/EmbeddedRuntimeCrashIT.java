package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.testkit.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.ElasticsearchServer;
import io.cdcmesh.testkit.ManagedProcess;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.testkit.MySqlServer;
import io.cdcmesh.testkit.SqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.testkit.hive.HiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cdc-mesh run} as its own process, MySQL 8 into Elasticsearch, Hive and a filtered Kafka topic, is killed
 * with SIGKILL mid-stream three times and started again each time. Afterwards the index equals the table, every
 * change is in Hive exactly once, and the topic holds exactly the events its filter keeps.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class EmbeddedRuntimeCrashIT {
    private static final String DB = "embedded_it";
    private static final String AUDIT = "audit_embedded";
    private static final String TARGET_TOPIC = "updates.titles";
    private static final int ROWS = 1_500;

    /** Under target/testkit, so the runtime's logs stay after the test. */
    private final Path work = io.cdcmesh.testkit.WorkDir.fresh("embedded-runtime-crash");

    private EmbeddedKafkaCluster kafka;
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Test
    void sinksEqualTheSourceAfterTheRuntimeIsKilledMidStreamThreeTimes(MySqlServer mysql, ElasticsearchServer es, HiveServer hive)
            throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), revision INT)",
                "CREATE TABLE probe (id INT PRIMARY KEY)");
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        kafka = new EmbeddedKafkaCluster(1, broker);
        kafka.start();
        kafka.createTopic(TARGET_TOPIC, 2);

        Path pipeline = pipeline(mysql, es, hive);
        Map<String, String> env = Map.of("CDC_DB_PASSWORD", SqlServer.CDC_PASSWORD);
        int generation = 1;
        runtime = CdcMeshRuntime.start("cdc-mesh-run-1", work, work.resolve("run-1.log"), env, "run", pipeline.toString());

        AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);
        String table = AUDIT + "." + DB + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        CompletableFuture<Void> workload = CompletableFuture.runAsync(
                () -> AuditTables.writeTitlesWorkload(mysql, DB, ROWS, changes, table, hive));
        for (int crash = 1; crash <= 3; crash++) {
            long reached = crash * 400L;
            Await.until(Duration.ofSeconds(180), "at least " + reached + " audit rows before crash " + crash,
                    () -> AuditTables.rows(hive, table) >= reached);
            assertThat(workload).as("the workload is still running at crash " + crash).isNotDone();
            runtime.kill();
            generation++;
            runtime = CdcMeshRuntime.start("cdc-mesh-run-" + generation, work, work.resolve("run-" + generation + ".log"), env,
                    "run", pipeline.toString());
        }
        workload.get(5, TimeUnit.MINUTES);

        // Hive: every change exactly once.
        long expected = changes.total(table);
        Await.until(Duration.ofSeconds(180), table + " to hold all " + expected + " changes",
                () -> AuditTables.rows(hive, table) >= expected);
        assertThat(AuditTables.duplicateUuids(hive, table)).as("uuids seen twice").isEmpty();
        assertThat(AuditTables.rows(hive, table)).isEqualTo(expected);
        assertThat(AuditTables.typeCounts(hive, table)).isEqualTo(changes.of(table));

        // Elasticsearch: the index equals the table.
        String index = DB + ".titles";
        Map<String, Map<String, Object>> rows = IndexComparisons.sourceRows(mysql, DB, "titles");
        Map<String, JsonNode> documents = Await.value(Duration.ofSeconds(180), index + " to equal its table",
                () -> IndexComparisons.documentsUnchecked(es, index), docs -> docs.keySet().equals(rows.keySet()));
        rows.forEach((id, row) -> row.forEach((column, value) -> assertThat(IndexComparisons.normalize(documents.get(id).get(column)))
                .as("%s/%s.%s", index, id, column).isEqualTo(value)));

        // The filtered topic: exactly the UPDATE events (by uuid; a replay after a kill may repeat one, which the
        // uuid header lets consumers drop), each key on one partition.
        Set<Object> updates = hive.query("SELECT uuid FROM " + table + " WHERE type = 'UPDATE'").stream()
                .map(r -> r.get("uuid")).collect(Collectors.toSet());
        assertThat(updates).hasSize(changes.of(table).get("UPDATE").intValue());
        List<ConsumerRecord<byte[], byte[]>> forwarded = Await.value(Duration.ofSeconds(120), TARGET_TOPIC + " to hold every update",
                this::readTarget, records -> uuids(records).containsAll(updates));
        assertThat(uuids(forwarded)).as("distinct uuids in " + TARGET_TOPIC).isEqualTo(updates);
        assertThat(forwarded).allSatisfy(r -> assertThat(ConnectWorkers.header(r, "cdc.type")).isEqualTo("UPDATE"));
        Map<String, Set<Integer>> partitionsPerKey = new HashMap<>();
        forwarded.forEach(r -> partitionsPerKey.computeIfAbsent(new String(r.key()), k -> new HashSet<>()).add(r.partition()));
        assertThat(partitionsPerKey.values()).as("partitions per key").allSatisfy(p -> assertThat(p).hasSize(1));
        System.out.printf("forwarded %d records for %d updates (%d repeated after kills)%n", forwarded.size(), updates.size(),
                forwarded.size() - updates.size());
    }

    private static Set<Object> uuids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> (Object) ConnectWorkers.header(r, "cdc.uuid")).collect(Collectors.toSet());
    }

    private List<ConsumerRecord<byte[], byte[]>> readTarget() {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("group.id", "reader-" + System.nanoTime());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new java.util.ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(TARGET_TOPIC).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(TARGET_TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private Path pipeline(MySqlServer mysql, ElasticsearchServer es, HiveServer hive) throws Exception {
        Map<String, String> runtimeSettings = new LinkedHashMap<>();
        runtimeSettings.put("data.dir", work.resolve("state").toString());
        runtimeSettings.put("offset.flush.interval.ms", "500");

        Map<String, String> source = new LinkedHashMap<>(mysql.debeziumConnection());
        source.put("database.password", "${env:CDC_DB_PASSWORD}");
        source.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        source.put("topic.prefix", "studio");
        source.put("database.include.list", DB);
        source.put("poll.interval.ms", "50");
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");

        Map<String, String> search = new LinkedHashMap<>();
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("topics.regex", "studio\\." + DB + "\\..*");
        search.put("connection.url", es.url());
        search.put("index.replicas", "0");
        search.put("batch.size", "200");

        Map<String, String> audit = new LinkedHashMap<>(AuditTables.sinkConfig(hive, DB, AUDIT, 1));
        audit.remove("consumer.override.metadata.max.age.ms");
        audit.put("flush.size", "100");
        audit.put("rotate.interval.ms", "1000");

        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("connector.class", "io.cdcmesh.connectors.TopicForwardSinkConnector");
        forward.put("topics", "studio." + DB + ".titles");
        forward.put("target.topic", TARGET_TOPIC);
        forward.put("target.bootstrap.servers", kafka.bootstrapServers());
        forward.put("target.value.converter.schemas.enable", "false");
        forward.put("target.key.converter.schemas.enable", "false");
        forward.put("transforms", "updatesOnly");
        forward.put("transforms.updatesOnly.type", "io.cdcmesh.transforms.FilterChangeEvent");
        forward.put("transforms.updatesOnly.condition", "type == 'UPDATE'");

        Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
        sinks.put("search", search);
        sinks.put("audit", audit);
        sinks.put("updates", forward);
        Path file = CdcMeshRuntime.writePipeline(work.resolve("pipeline.json"), runtimeSettings, "studio", source, sinks);
        assertThat(Files.readString(file)).doesNotContain(SqlServer.CDC_PASSWORD);
        return file;
    }

}
