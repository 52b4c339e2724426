package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.servers.hive.HiveServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One pipeline file that both runtimes take unchanged: MySQL 8 through Debezium and NormalizeChangeEvent into
 * Elasticsearch ("search"), a Hive audit ("audit") and a topic of UPDATE events only ("updates"). The source's
 * password is a {@code ${env:CDC_DB_PASSWORD}} reference; its Kafka schema-history and topic-creation keys are for a
 * Connect worker (the embedded runtime keeps schema history in a file).
 */
final class StudioPipeline {
    static final String PASSWORD_ENV = "CDC_DB_PASSWORD";

    private StudioPipeline() {}

    /** A fresh {@code db} with the tables the pipeline's workload and streaming probe use. */
    static void createTables(MySqlServer mysql, String db) {
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), revision INT)",
                "CREATE TABLE probe (id INT PRIMARY KEY)");
    }

    static Path write(Path file, Path stateDir, String db, String audit, String targetTopic, MySqlServer mysql,
            ElasticsearchServer es, HiveServer hive, String kafkaBootstrap) throws Exception {
        return write(file, stateDir, db, audit, targetTopic, mysql, es, hive, kafkaBootstrap, Map.of());
    }

    /** The pipeline file, with {@code runtimeExtra} added to its runtime settings (e.g. status.port). */
    static Path write(Path file, Path stateDir, String db, String audit, String targetTopic, MySqlServer mysql,
            ElasticsearchServer es, HiveServer hive, String kafkaBootstrap, Map<String, String> runtimeExtra) throws Exception {
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("data.dir", stateDir.toString());
        runtime.put("offset.flush.interval.ms", "500");
        runtime.putAll(runtimeExtra);

        Map<String, String> source = new LinkedHashMap<>(mysql.debeziumConnection());
        source.put("database.password", "${env:" + PASSWORD_ENV + "}");
        source.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        source.put("tasks.max", "1");
        source.put("topic.prefix", "studio");
        source.put("database.include.list", db);
        source.put("poll.interval.ms", "50");
        source.put("schema.history.internal.kafka.bootstrap.servers", kafkaBootstrap);
        source.put("schema.history.internal.kafka.topic", "schema-history.studio." + db);
        source.put("topic.creation.default.replication.factor", "1");
        source.put("topic.creation.default.partitions", "2");
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");

        Map<String, String> search = new LinkedHashMap<>();
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("tasks.max", "1");
        search.put("topics.regex", "studio\\." + db + "\\..*");
        search.put("consumer.override.metadata.max.age.ms", "1000");
        search.put("connection.url", es.url());
        search.put("index.replicas", "0");
        search.put("batch.size", "200");
        renameTopics(search, "");

        Map<String, String> auditSink = new LinkedHashMap<>(AuditTables.sinkConfig(hive, db, audit, 1));
        auditSink.put("flush.size", "100");
        auditSink.put("rotate.interval.ms", "1000");
        renameTopics(auditSink, "");

        Map<String, String> forward = new LinkedHashMap<>();
        forward.put("connector.class", "io.cdcmesh.connectors.forward.TopicForwardSinkConnector");
        forward.put("tasks.max", "1");
        forward.put("topics", "studio." + db + ".titles");
        forward.put("target.topic", targetTopic);
        forward.put("target.bootstrap.servers", kafkaBootstrap);
        forward.put("target.value.converter.schemas.enable", "false");
        forward.put("target.key.converter.schemas.enable", "false");
        // Ours, then one of Kafka's own: both runtimes run the same chain.
        forward.put("transforms", "updatesOnly,tag");
        forward.put("transforms.updatesOnly.type", "io.cdcmesh.transforms.FilterChangeEvent");
        forward.put("transforms.updatesOnly.condition", "type == 'UPDATE'");
        forward.put("transforms.tag.type", "org.apache.kafka.connect.transforms.InsertHeader");
        forward.put("transforms.tag.header", "pipeline");
        forward.put("transforms.tag.value.literal", "studio");
        renameTopics(forward, "updatesOnly,tag,");

        Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
        sinks.put("search", search);
        sinks.put("audit", auditSink);
        sinks.put("updates", forward);
        return CdcMeshRuntime.writePipeline(file, runtime, "studio", source, sinks);
    }

    /**
     * Every sink renames its topics in its own chain (Kafka's RegexRouter, studio.db.t to renamed.db.t), as users do
     * to route: what the sinks commit and what the embedded runtime waits for must still be the consumed partitions.
     */
    private static void renameTopics(Map<String, String> sink, String transformsBefore) {
        sink.put("transforms", transformsBefore + "rename");
        sink.put("transforms.rename.type", "org.apache.kafka.connect.transforms.RegexRouter");
        sink.put("transforms.rename.regex", "studio\\.(.*)");
        sink.put("transforms.rename.replacement", "renamed.$1");
    }

    /**
     * After a workload on {@code db.titles}: the Hive audit holds every change exactly once with the right per-type
     * counts, the index equals the table field by field, and the filtered topic holds exactly the UPDATE events (by
     * uuid), each key on one partition. Returns how many records the topic repeated (replays after a crash).
     */
    static int assertSinksEqualSource(MySqlServer mysql, ElasticsearchServer es, HiveServer hive, String kafkaBootstrap, String db,
            String audit, String targetTopic, AuditTables.Changes changes) throws Exception {
        String table = audit + "." + db + "_titles";
        long expected = changes.total(table);
        Await.until(Duration.ofSeconds(180), table + " to hold all " + expected + " changes",
                () -> AuditTables.rows(hive, table) >= expected);
        assertThat(AuditTables.duplicateUuids(hive, table)).as("uuids seen twice").isEmpty();
        assertThat(AuditTables.rows(hive, table)).isEqualTo(expected);
        assertThat(AuditTables.typeCounts(hive, table)).isEqualTo(changes.of(table));

        IndexComparisons.awaitIndexEqualsTable(mysql, es, db, "titles", Duration.ofSeconds(180));

        Set<Object> updates = hive.query("SELECT uuid FROM " + table + " WHERE type = 'UPDATE'").stream()
                .map(r -> r.get("uuid")).collect(Collectors.toSet());
        assertThat(updates).hasSize(changes.of(table).get("UPDATE").intValue());
        List<ConsumerRecord<byte[], byte[]>> forwarded = Await.value(Duration.ofSeconds(120), targetTopic + " to hold every update",
                () -> read(kafkaBootstrap, targetTopic), records -> uuids(records).containsAll(updates));
        assertThat(uuids(forwarded)).as("distinct uuids in " + targetTopic).isEqualTo(updates);
        assertThat(forwarded).allSatisfy(r -> assertThat(ConnectWorkers.header(r, "cdc.type")).isEqualTo("UPDATE"));
        assertThat(forwarded).as("the header Kafka's InsertHeader added").allSatisfy(r -> assertThat(ConnectWorkers.header(r, "pipeline"))
                .isEqualTo("studio"));
        Map<String, Set<Integer>> partitionsPerKey = new HashMap<>();
        forwarded.forEach(r -> partitionsPerKey.computeIfAbsent(new String(r.key(), StandardCharsets.UTF_8), k -> new HashSet<>())
                .add(r.partition()));
        assertThat(partitionsPerKey.values()).as("partitions per key").allSatisfy(p -> assertThat(p).hasSize(1));
        return forwarded.size() - updates.size();
    }

    /** {@code count} more titles from id {@code firstId}, every third updated once: changes the pipeline has not seen. */
    static void writeMoreTitles(MySqlServer mysql, String db, int firstId, int count, AuditTables.Changes changes, String table)
            throws Exception {
        try (java.sql.Connection c = mysql.connect(db); java.sql.Statement s = c.createStatement()) {
            for (int id = firstId; id < firstId + count; id++) {
                changes.run(s, table, "CREATE", "INSERT INTO titles VALUES (" + id + ", 'More " + id + "', 0)");
                if (id % 3 == 0) {
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = 1, name = 'More " + id + " r1' WHERE id = " + id);
                }
            }
        }
    }

    private static Set<Object> uuids(List<ConsumerRecord<byte[], byte[]>> records) {
        return records.stream().map(r -> (Object) ConnectWorkers.header(r, "cdc.uuid")).collect(Collectors.toSet());
    }

    /** Every record in the topic, read from the beginning up to its end offsets. */
    static List<ConsumerRecord<byte[], byte[]>> read(String bootstrap, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", "reader-" + System.nanoTime());
        props.put("enable.auto.commit", "false");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 30_000;
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }
}
