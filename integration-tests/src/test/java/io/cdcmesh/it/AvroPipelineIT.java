package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.SchemaRegistryExtension;
import io.cdcmesh.servers.SchemaRegistryServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schematized streams: MySQL 8 -> Debezium + NormalizeChangeEvent -> Avro (cdc-mesh's converter, with the keys of
 * the shipped {@code connect-configs/converters/apicurio-avro.properties}) against a real Apicurio Registry -> the
 * Elasticsearch and Hive sinks, in a real Connect worker of its own JVM.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class, SchemaRegistryExtension.class})
class AvroPipelineIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Closer closer = new Closer();
    private final Path work = WorkDir.fresh("avro-pipeline");

    @AfterEach
    void stop() {
        closer.close();
    }

    /**
     * The same MySQL tables captured twice, once written as JSON and once as Avro, each into its own Elasticsearch
     * index and Hive audit table: after a mixed workload and an ADD COLUMN mid-stream, both paths hold the same
     * documents and the same audit rows, and both equal the source. The Avro topic's bytes are the Confluent wire
     * format and decode with a plain Avro reader; the ADD COLUMN registered version 2 under BACKWARD.
     */
    @Test
    void avroPathGivesTheSameFinalStateAsTheJsonPathAndEvolvesBackwardCompatibly(MySqlServer mysql, ElasticsearchServer es,
            HiveServer hive, SchemaRegistryServer registry) throws Exception {
        String db = "avroit";
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), launch_date DATE,"
                + " budget DECIMAL(12,2), updated_at DATETIME(3))", "CREATE TABLE probe (id INT PRIMARY KEY)");
        registry.setCompatibility("BACKWARD");
        for (String path : List.of("json", "avro")) {
            es.request("DELETE", "/" + path + "." + db + ".titles," + path + "." + db + ".probe?ignore_unavailable=true", null);
            hive.execute("DROP DATABASE IF EXISTS audit_" + path + " CASCADE");
        }
        EmbeddedKafkaCluster kafka = closer.broker();
        ConnectWorkerProcess worker = worker(kafka, registry, "avro-same-state");

        for (String path : List.of("json", "avro")) {
            Map<String, String> converters = path.equals("avro") ? avroConverters() : Map.of();
            worker.put(path + "-source", with(source(mysql, kafka, db, path), converters));
            worker.put(path + "-search", with(search(es, db, path), converters));
            Map<String, String> audit = AuditTables.sinkConfig(hive, db, "audit_" + path, 1);
            audit.put("topics.regex", path + "\\." + db + "\\..*");
            audit.put("rotate.interval.ms", "2000");
            worker.put(path + "-audit", with(audit, converters));
        }
        for (String connector : List.of("json-source", "avro-source", "json-search", "avro-search", "json-audit", "avro-audit")) {
            awaitRunning(worker, connector);
        }
        mysql.execute(db, "INSERT INTO probe VALUES (1)");
        for (String path : List.of("json", "avro")) {
            String probe = "audit_" + path + "." + db + "_probe";
            Await.until(Duration.ofSeconds(180), "the probe row in " + probe, () -> AuditTables.rows(hive, probe) == 1);
        }

        AuditTables.Changes changes = new AuditTables.Changes();
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 1; id <= 300; id++) {
                changes.run(s, "titles", "CREATE", "INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', '2027-07-01', "
                        + (id * 1000 + 0.5) + ", '2026-11-23 10:00:00." + String.format("%03d", id % 1000) + "')");
                if (id % 4 == 0) {
                    changes.run(s, "titles", "UPDATE", "UPDATE titles SET launch_date = '2027-06-01', budget = budget * 2"
                            + " WHERE id = " + (id - 1));
                }
                if (id % 9 == 0) {
                    changes.run(s, "titles", "DELETE", "DELETE FROM titles WHERE id = " + (id - 4));
                }
            }
            s.execute("ALTER TABLE titles ADD COLUMN rating INT NULL");
            for (int id = 301; id <= 400; id++) {
                changes.run(s, "titles", "CREATE", "INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', '2027-07-01', "
                        + id + ", '2026-11-23 11:00:00', " + (id % 5) + ")");
            }
            changes.run(s, "titles", "UPDATE", "UPDATE titles SET rating = 5 WHERE id % 10 = 1");
        }

        Map<String, Map<String, Object>> rows = IndexComparisons.sourceRows(mysql, db, "titles");
        Map<String, Map<String, JsonNode>> indices = new HashMap<>();
        for (String path : List.of("json", "avro")) {
            String index = path + "." + db + ".titles";
            Map<String, JsonNode> docs = Await.value(Duration.ofSeconds(180), index + " to equal the table",
                    () -> IndexComparisons.documentsUnchecked(es, index), d -> equal(d, rows));
            rows.forEach((id, row) -> row.forEach((column, value) -> assertThat(IndexComparisons.normalize(docs.get(id).get(column)))
                    .as("%s %s.%s", index, id, column).isEqualTo(value)));
            indices.put(path, docs);
        }
        assertThat(indices.get("avro")).as("Avro path documents = JSON path documents").isEqualTo(indices.get("json"));
        es.request("POST", "/avro." + db + ".titles/_refresh", null);
        JsonNode rated = JSON.readTree(es.request("GET", "/avro." + db + ".titles/_count?q=rating:5", null));
        assertThat(rated.path("count").asLong()).as("the added column is searchable").isEqualTo(
                rows.values().stream().filter(r -> r.get("rating") != null && r.get("rating").toString().equals("5")).count());

        long total = changes.total("titles");
        Map<String, List<Map<String, Object>>> audits = new HashMap<>();
        for (String path : List.of("json", "avro")) {
            String table = "audit_" + path + "." + db + "_titles";
            Await.until(Duration.ofSeconds(180), table + " to hold all " + total + " changes", () -> AuditTables.rows(hive, table) >= total);
            assertThat(AuditTables.rows(hive, table)).isEqualTo(total);
            assertThat(AuditTables.duplicateUuids(hive, table)).isEmpty();
            assertThat(AuditTables.typeCounts(hive, table)).isEqualTo(changes.of("titles"));
            audits.put(path, auditRows(hive, table));
        }
        assertThat(audits.get("avro")).as("Avro path audit rows = JSON path audit rows (Kafka coordinates aside)")
                .isEqualTo(audits.get("json"));

        // The topic holds the Confluent wire format, and a plain Avro reader decodes it with the registry's schema.
        List<ConsumerRecord<byte[], byte[]>> records = StudioPipeline.read(kafka.bootstrapServers(), "avro." + db + ".titles");
        assertThat(records).hasSize((int) total);
        Map<Integer, Schema> schemas = new HashMap<>();
        Set<Integer> ids = new java.util.TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ByteBuffer bytes = ByteBuffer.wrap(record.value());
            assertThat(bytes.get()).as("magic byte").isZero();
            int id = bytes.getInt();
            ids.add(id);
            Schema schema = schemas.computeIfAbsent(id, i -> registrySchema(registry, i));
            GenericRecord event = new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(record.value(), 5, record.value().length - 5, null));
            assertThat(event.get("uuid").toString()).isEqualTo(ConnectWorkers.header(record, "cdc.uuid"));
            assertThat(event.get("type").toString()).isEqualTo(ConnectWorkers.header(record, "cdc.type"));
            assertThat(event.get("entity").toString()).isEqualTo(db + ".titles");
            GenericRecord image = (GenericRecord) (event.get("after") != null ? event.get("after") : event.get("before"));
            assertThat(image.get("id").toString()).isEqualTo(event.get("id").toString());
            assertThat(schema.getField("after").schema().getTypes().get(1).getField("launch_date").schema()
                    .getTypes().get(1).getLogicalType().getName()).isEqualTo("date");
        }
        assertThat(ids).as("two schema ids: before and after ADD COLUMN").hasSize(2);

        String subject = "avro." + db + ".titles-value";
        assertThat(JSON.readTree(registry.request("GET", "/subjects/" + subject + "/versions", null)).toString()).isEqualTo("[1,2]");
        Schema v1 = new Schema.Parser().parse(JSON.readTree(registry.request("GET", "/subjects/" + subject + "/versions/1", null)).path("schema").asText());
        Schema v2 = new Schema.Parser().parse(JSON.readTree(registry.request("GET", "/subjects/" + subject + "/versions/2", null)).path("schema").asText());
        assertThat(v1.getFullName()).isEqualTo(v2.getFullName()).isEqualTo("avro." + db + ".titles.ChangeEvent");
        assertThat(org.apache.avro.SchemaCompatibility.checkReaderWriterCompatibility(v2, v1).getType())
                .isEqualTo(org.apache.avro.SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
        assertThat(JSON.readTree(registry.request("GET", "/config", null)).path("compatibilityLevel").asText()).isEqualTo("BACKWARD");
    }

    /**
     * {@code cdc-mesh schemas check} against the registry, from the source's current table definitions: an added
     * nullable column is compatible; a column changed from INT to VARCHAR is reported with the field named and exit 1,
     * while the registry still holds only the version the pipeline wrote before (nothing was written with it).
     */
    @Test
    void schemasCheckNamesTheFieldOfAnIncompatibleChangeBeforeAnyDataIsWritten(MySqlServer mysql, SchemaRegistryServer registry)
            throws Exception {
        String db = "avrocheck";
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE ratings (id INT PRIMARY KEY, score INT, rated_on DATE)", "INSERT INTO ratings VALUES (1, 4, '2026-11-23')");
        registry.setCompatibility("BACKWARD");
        EmbeddedKafkaCluster kafka = closer.broker();
        ConnectWorkerProcess worker = worker(kafka, registry, "avro-check");
        Map<String, String> source = with(source(mysql, kafka, db, "check"), avroConverters());
        worker.put("check-source", source);
        awaitRunning(worker, "check-source");
        String subject = "check." + db + ".ratings-value";
        Await.until(Duration.ofSeconds(120), "the pipeline to register " + subject, () -> registryVersions(registry, subject).equals("[1]"));
        worker.delete("check-source");

        Map<String, String> file = new LinkedHashMap<>(source);
        file.put("name", "check-source");
        Path config = work.resolve("check-source.json");
        Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(file));
        Map<String, String> env = Map.of("CDC_APICURIO_REGISTRY_URL", registry.apicurioUrl());

        CdcMeshRuntime.Result unchanged = CdcMeshRuntime.run(work, env, 120, "schemas", "check", "--registry",
                registry.confluentUrl(), config.toString());
        assertThat(unchanged.exitCode()).as(unchanged.output()).isZero();
        assertThat(unchanged.output()).contains("OK").contains(subject + ": unchanged (version 1)");

        mysql.execute(db, "ALTER TABLE ratings ADD COLUMN note VARCHAR(200) NULL");
        CdcMeshRuntime.Result added = CdcMeshRuntime.run(work, env, 120, "schemas", "check", "--registry",
                registry.confluentUrl(), config.toString());
        assertThat(added.exitCode()).as(added.output()).isZero();
        assertThat(added.output()).contains(subject + ": compatible with version 1 under BACKWARD");

        mysql.execute(db, "ALTER TABLE ratings MODIFY score VARCHAR(20)");
        CdcMeshRuntime.Result broken = CdcMeshRuntime.run(work, env, 120, "schemas", "check", "--registry",
                registry.confluentUrl(), config.toString());
        assertThat(broken.exitCode()).as(broken.output()).isEqualTo(1);
        assertThat(broken.output()).contains("INCOMPATIBLE").contains(subject).contains("under BACKWARD with version 1")
                .contains("field 'after.score'").contains("field 'before.score'").doesNotContain("field 'after.note'");
        assertThat(registryVersions(registry, subject)).as("nothing written with the new schema").isEqualTo("[1]");

        CdcMeshRuntime.Result down = CdcMeshRuntime.run(work, env, 120, "schemas", "check", "--registry",
                "http://127.0.0.1:" + io.cdcmesh.servers.Ports.freePort() + "/apis/ccompat/v7", config.toString());
        assertThat(down.exitCode()).as(down.output()).isEqualTo(3);
        assertThat(down.output()).contains("could not be reached");
    }

    /**
     * The registry unreachable for 30 s while the source needs it (a column is added during the outage, so a new
     * schema must be registered): the source task stays RUNNING and holds back, nothing reaches the index; when the
     * registry is back everything flows, and the index equals the table with every change in the topic once.
     */
    @Test
    void registryUnreachableFor30SecondsPausesTheSourceAndItResumesWithoutLoss(MySqlServer mysql, ElasticsearchServer es,
            SchemaRegistryServer registry) throws Exception {
        String db = "avrodown";
        mysql.recreateDatabase(db);
        mysql.execute(db, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), launch_date DATE)");
        es.request("DELETE", "/down." + db + ".titles?ignore_unavailable=true", null);
        EmbeddedKafkaCluster kafka = closer.broker();
        ConnectWorkerProcess worker = worker(kafka, registry, "avro-down");
        worker.put("down-source", with(source(mysql, kafka, db, "down"), avroConverters()));
        worker.put("down-search", with(search(es, db, "down"), avroConverters()));
        awaitRunning(worker, "down-source");
        awaitRunning(worker, "down-search");
        String index = "down." + db + ".titles";

        int changes = 0;
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int id = 1; id <= 100; id++) {
                changes += s.executeUpdate("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', '2027-07-01')");
            }
        }
        Await.until(Duration.ofSeconds(120), "100 documents in " + index, () -> IndexComparisons.count(es, index) == 100);

        registry.blockClients();
        long blockedAt = System.nanoTime();
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            s.execute("ALTER TABLE titles ADD COLUMN rating INT NULL");
            for (int id = 101; id <= 200; id++) {
                changes += s.executeUpdate("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', '2027-07-01', " + (id % 5) + ")");
            }
            changes += s.executeUpdate("UPDATE titles SET rating = 1 WHERE id <= 20");
        }
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        Await.throughout(Duration.ofSeconds(30).minusNanos(System.nanoTime() - blockedAt), Duration.ofSeconds(1), () -> {
            List<String> states = worker.taskStates("down-source");
            seen.addAll(states);
            assertThat(states).as("source task while the registry is unreachable").containsOnly("RUNNING");
            assertThat(IndexComparisons.count(es, index)).as("nothing passes the source without its schema").isEqualTo(100);
        });
        assertThat(seen).isNotEmpty();
        registry.unblockClients();

        Map<String, Map<String, Object>> rows = IndexComparisons.sourceRows(mysql, db, "titles");
        Map<String, JsonNode> docs = Await.value(Duration.ofSeconds(180), index + " to equal the table after the outage",
                () -> IndexComparisons.documentsUnchecked(es, index), d -> equal(d, rows));
        rows.forEach((id, row) -> row.forEach((column, value) -> assertThat(IndexComparisons.normalize(docs.get(id).get(column)))
                .as("%s.%s", id, column).isEqualTo(value)));
        assertThat(worker.taskStates("down-source")).containsOnly("RUNNING");
        assertThat(worker.taskStates("down-search")).containsOnly("RUNNING");

        int expected = changes;
        List<ConsumerRecord<byte[], byte[]>> records = Await.value(Duration.ofSeconds(60), "every change in the topic",
                () -> StudioPipeline.read(kafka.bootstrapServers(), "down." + db + ".titles"), r -> r.size() >= expected);
        Map<String, Long> perUuid = records.stream().collect(Collectors.groupingBy(r -> ConnectWorkers.header(r, "cdc.uuid"),
                TreeMap::new, Collectors.counting()));
        assertThat(perUuid).as("every change once").hasSize(expected);
        assertThat(perUuid.values()).containsOnly(1L);
    }

    /** Whether the documents are the rows: the same ids, and every column's value in each. */
    private static boolean equal(Map<String, JsonNode> docs, Map<String, Map<String, Object>> rows) {
        return docs.keySet().equals(rows.keySet()) && rows.entrySet().stream().allMatch(row -> row.getValue().entrySet().stream()
                .allMatch(column -> java.util.Objects.equals(IndexComparisons.normalize(docs.get(row.getKey()).get(column.getKey())),
                        column.getValue())));
    }

    private ConnectWorkerProcess worker(EmbeddedKafkaCluster kafka, SchemaRegistryServer registry, String name) throws Exception {
        Map<String, String> env = Map.of("CDC_APICURIO_REGISTRY_URL", registry.apicurioUrl());
        return closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), name, name + "-1", env));
    }

    /** The converter keys of the shipped connect-configs/converters/apicurio-avro.properties, unchanged. */
    private static Map<String, String> avroConverters() throws Exception {
        Path file = CdcMeshRuntime.jar().getParent().getParent().getParent().resolve("connect-configs/converters/apicurio-avro.properties");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> keys = new TreeMap<>();
        properties.forEach((k, v) -> keys.put((String) k, (String) v));
        assertThat(keys).containsKeys("key.converter", "value.converter");
        return keys;
    }

    private static Map<String, String> with(Map<String, String> config, Map<String, String> extra) {
        Map<String, String> all = new LinkedHashMap<>(config);
        all.putAll(extra);
        return all;
    }

    /** The source as connect-configs/mysql-source.json has it (temporal.types=logical, retry on registry outages). */
    private static Map<String, String> source(MySqlServer mysql, EmbeddedKafkaCluster kafka, String db, String prefix) {
        Map<String, String> source = Pipelines.mysqlSource(mysql, db);
        source.put("topic.prefix", prefix);
        source.put("decimal.handling.mode", "precise");
        source.put("transforms.normalize.temporal.types", "logical");
        source.put("schema.history.internal.kafka.bootstrap.servers", kafka.bootstrapServers());
        source.put("schema.history.internal.kafka.topic", "schema-history." + prefix + "." + db);
        source.put("topic.creation.default.replication.factor", "1");
        source.put("topic.creation.default.partitions", "3");
        source.put("errors.retry.timeout", "1800000");
        source.put("errors.retry.delay.max.ms", "2000");
        return source;
    }

    private static Map<String, String> search(ElasticsearchServer es, String db, String prefix) {
        Map<String, String> search = Pipelines.elasticsearchSink(es, db);
        search.put("topics.regex", prefix + "\\." + db + "\\..*");
        search.put("index.name.pattern", "${topic}");
        search.put("consumer.override.metadata.max.age.ms", "1000");
        search.put("errors.retry.timeout", "1800000");
        search.put("errors.retry.delay.max.ms", "2000");
        return search;
    }

    private static void awaitRunning(ConnectWorkerProcess worker, String connector) {
        Await.until(Duration.ofSeconds(120), connector + " RUNNING", () -> {
            List<String> states = worker.taskStates(connector);
            if (states.contains("FAILED")) {
                throw new Await.Abort(connector + " failed: " + worker.statusJson(connector), null);
            }
            return !states.isEmpty() && states.stream().allMatch("RUNNING"::equals);
        });
    }

    private static String registryVersions(SchemaRegistryServer registry, String subject) {
        try {
            return JSON.readTree(registry.request("GET", "/subjects/" + subject + "/versions", null)).toString();
        } catch (Exception e) {
            return "none";
        }
    }

    private static Schema registrySchema(SchemaRegistryServer registry, int id) {
        try {
            return new Schema.Parser().parse(JSON.readTree(registry.request("GET", "/schemas/ids/" + id, null)).path("schema").asText());
        } catch (Exception e) {
            throw new IllegalStateException("schema id " + id + " is not in the registry", e);
        }
    }

    /** Every audit row without its Kafka coordinates (which differ between the two topics), in uuid order. */
    private static List<Map<String, Object>> auditRows(HiveServer hive, String table) {
        return hive.query("SELECT * FROM " + table).stream()
                .map(row -> {
                    Map<String, Object> kept = new TreeMap<>();
                    row.forEach((column, value) -> {
                        String name = column.contains(".") ? column.substring(column.indexOf('.') + 1) : column;
                        if (!name.startsWith("kafka_")) {
                            kept.put(name, value);
                        }
                    });
                    return kept;
                })
                .sorted(java.util.Comparator.comparing(r -> String.valueOf(r.get("uuid"))))
                .toList();
    }
}
