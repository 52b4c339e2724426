package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.Ports;
import io.cdcmesh.servers.TcpGate;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.hive.HiveExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20: a password and row values, each holding one random sentinel, go through {@code cdc-mesh run} into both
 * sinks while every error path it has is provoked: a document the index refuses, a table without a primary key, Hive
 * away for a while, a wrong database password, and a refused config through {@code run} and through {@code deploy}.
 * Then every log, command output, REST answer, status page, metrics text, dead-letter header and state file they
 * produced is searched: the sentinel is nowhere, except in the dead-letter records' keys and values, which exist to
 * hold the rows. Everything under data.dir is the owner's only.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class SentinelScanIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "sentinel_it";
    private static final String AUDIT = "sentinel_audit";
    private static final String USER = "sentinel_cdc";
    private static final String SENTINEL = "SNTL" + HexFormat.of().formatHex(new SecureRandom().generateSeed(8));
    private static final String ROW = "ROW-" + SENTINEL;
    private static final String PASSWORD = "PASS-" + SENTINEL;

    /** Everything the runtime, the CLI and the worker wrote: scanned. */
    private final Path work = WorkDir.fresh("sentinel-scan");
    /** The configs this test wrote, which hold the password by design: not scanned. */
    private final Path inputs = WorkDir.fresh("sentinel-scan-inputs");
    private final Closer closer = new Closer();
    /** What was produced outside files: command outputs, HTTP answers, dead-letter headers; by where it came from. */
    private final Map<String, String> answers = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void noPasswordOrRowValueReachesALogAnAnswerAPageMetricsOrADeadLetterHeader(MySqlServer mysql, ElasticsearchServer es,
            HiveServer hive) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE accounts (id INT PRIMARY KEY, holder VARCHAR(100))",
                "INSERT INTO accounts VALUES (1, '" + ROW + "-1'), (2, '" + ROW + "-2')",
                // A point Elasticsearch's geo_point can't hold: the index refuses the document.
                "CREATE TABLE places (id INT PRIMARY KEY, spot POINT NOT NULL, label VARCHAR(100))",
                "INSERT INTO places VALUES (1, ST_GeomFromText('POINT(1000 1000)'), '" + ROW + "-place')",
                "CREATE TABLE play_log (event VARCHAR(100))", "INSERT INTO play_log VALUES ('" + ROW + "-keyless')");
        // Out of the binlog, as an operator's user setup would be.
        mysql.execute(DB, "SET sql_log_bin=0", "DROP USER IF EXISTS '" + USER + "'@'%'",
                "CREATE USER '" + USER + "'@'%' IDENTIFIED WITH mysql_native_password BY '" + PASSWORD + "'",
                "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES ON *.* TO '" + USER + "'@'%'");
        EmbeddedKafkaCluster kafka = closer.broker();
        TcpGate hiveGate = closer.add(TcpGate.open("hive-gate", hive.port()));

        Path pipeline = pipeline("pipeline.json", mysql, es, hive, hiveGate, kafka, Map.of(), Map.of());
        int statusPort = statusPort(pipeline);
        ManagedProcess run = closer.add(CdcMeshRuntime.start("cdc-mesh-sentinel", work, work.resolve("run.log"), Map.of(),
                "run", pipeline.toString()));
        String audit = AUDIT + "." + DB + "_accounts";
        Await.until(Duration.ofSeconds(180), "the accounts in the index and the audit",
                () -> IndexComparisons.count(es, DB + ".accounts") == 2 && AuditTables.rows(hive, audit) == 2);
        Path refused = work.resolve("state/dead-letter/search.jsonl");
        Await.until(Duration.ofSeconds(60), "the refused place in " + refused, () -> lines(refused).size() == 1);
        List<ConsumerRecord<byte[], byte[]>> keyless = Await.value(Duration.ofSeconds(60), "the keyless change in the source's dead letters",
                () -> StudioPipeline.read(kafka.bootstrapServers(), "cdc-mesh.dlq.source"), r -> r.size() >= 1);

        // Hive away: the audit sink retries and says so, then catches up.
        hiveGate.shut();
        mysql.execute(DB, "INSERT INTO accounts VALUES (3, '" + ROW + "-3')");
        Await.until(Duration.ofSeconds(120), "the audit sink retrying while Hive is away",
                () -> text(work.resolve("run.log")).contains("Writing to Hive failed"));
        hiveGate.open("hive-gate");
        Await.until(Duration.ofSeconds(180), "the audit caught up", () -> AuditTables.rows(hive, audit) == 3);

        String base = "http://127.0.0.1:" + statusPort;
        for (String page : List.of("/health", "/metrics", "/api/status", "/")) {
            answers.put("GET " + page, get(base + page));
        }
        for (ConsumerRecord<byte[], byte[]> record : keyless) {
            for (Header header : record.headers()) {
                answers.put("source dead-letter header " + header.key(), new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        assertThat(run.isAlive()).as("the pipeline ran through every error").isTrue();
        run.close();

        // A wrong database password, and a refused config, through run.
        Path wrong = pipeline("wrong-password.json", mysql, es, hive, hiveGate, kafka, Map.of("database.password", "WRONG-" + SENTINEL),
                Map.of());
        CdcMeshRuntime.Result wrongRun = CdcMeshRuntime.run(work, Map.of(), 180, "run", wrong.toString());
        assertThat(wrongRun.exitCode()).as(wrongRun.output()).isNotZero();
        assertThat(wrongRun.output()).contains("Access denied");
        answers.put("run with a wrong password", wrongRun.output());
        Map<String, String> bothAuths = Map.of("connection.api.key", "KEY-" + SENTINEL, "connection.username", "cdc",
                "connection.password", PASSWORD);
        Path refusedConfig = pipeline("refused.json", mysql, es, hive, hiveGate, kafka, Map.of(), bothAuths);
        CdcMeshRuntime.Result refusedRun = CdcMeshRuntime.run(work, Map.of(), 180, "run", refusedConfig.toString());
        assertThat(refusedRun.exitCode()).as(refusedRun.output()).isEqualTo(2);
        assertThat(refusedRun.output()).contains("connection.api.key");
        answers.put("run with a refused config", refusedRun.output());

        // The same refused sink through deploy: the worker's REST answer, and its log.
        ConnectWorkerProcess worker = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "sentinel-it", "sentinel-it"));
        Map<String, String> search = new LinkedHashMap<>(Pipelines.elasticsearchSink(es, DB));
        search.putAll(bothAuths);
        search.put("name", "sentinel-search");
        Path deployDir = Files.createDirectories(inputs.resolve("deploy"));
        JSON.writerWithDefaultPrettyPrinter().writeValue(deployDir.resolve("search.json").toFile(), search);
        CdcMeshRuntime.Result deploy = CdcMeshRuntime.run(work, Map.of(), 180, "deploy", "--connect", worker.url(), deployDir.toString());
        assertThat(deploy.exitCode()).as(deploy.output()).isEqualTo(2);
        assertThat(deploy.output()).contains("connection.api.key");
        answers.put("deploy of a refused config", deploy.output());
        answers.put("the Connect worker's output", Files.readString(worker.log()));
        answers.put("the Connect worker's full log", Files.readString(worker.fullLog()));

        List<String> found = new ArrayList<>();
        answers.forEach((where, text) -> found.addAll(occurrences(where, text)));
        try (Stream<Path> files = Files.walk(work)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                found.addAll(occurrences(work.relativize(file).toString(),
                        file.toString().contains("dead-letter") ? withoutRecords(text) : text));
            }
        }
        // The scan finds the sentinel where it belongs: in the configs, and in the dead-letter records.
        assertThat(occurrences("pipeline.json", text(pipeline))).as("the scan finds the password in the config").isNotEmpty();
        assertThat(lines(refused)).singleElement().satisfies(line -> assertThat(JSON.readTree(line).path("value").toString())
                .as("the refused document's row, in its dead-letter record").contains(ROW + "-place"));
        assertThat(keyless).anySatisfy(record -> assertThat(new String(record.value(), StandardCharsets.UTF_8))
                .as("the keyless row, in its dead-letter record").contains(ROW + "-keyless"));
        assertThat(answers).as("what was read").hasSizeGreaterThan(8);
        assertThat(found).as("the sentinel %s outside the dead-letter records", SENTINEL).isEmpty();

        // What data.dir holds (offsets, schema history, the offset sequence, dead letters) is the owner's only.
        try (Stream<Path> state = Files.walk(work.resolve("state"))) {
            assertThat(state.toList()).as("files and folders under data.dir").hasSizeGreaterThan(4).allSatisfy(path ->
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).as(path.toString())
                            .isEqualTo(Files.isDirectory(path) ? "rwx------" : "rw-------"));
        }
    }

    /** The pipeline file: MySQL as the sentinel user, Elasticsearch, and the Hive audit through the gate. */
    private Path pipeline(String name, MySqlServer mysql, ElasticsearchServer es, HiveServer hive, TcpGate hiveGate,
            EmbeddedKafkaCluster kafka, Map<String, String> sourceExtra, Map<String, String> searchExtra) throws IOException {
        Map<String, String> runtime = new LinkedHashMap<>();
        runtime.put("data.dir", work.resolve("state").toString());
        runtime.put("status.port", Integer.toString(Ports.freePort()));
        runtime.put("offset.flush.interval.ms", "500");
        runtime.put("dead.letter.bootstrap.servers", kafka.bootstrapServers());
        Map<String, String> source = new LinkedHashMap<>(Pipelines.mysqlSource(mysql, DB));
        source.put("database.user", USER);
        source.put("database.password", PASSWORD);
        source.putAll(sourceExtra);
        Map<String, String> search = new LinkedHashMap<>(Pipelines.elasticsearchSink(es, DB));
        search.put("errors.tolerance", "all");
        search.putAll(searchExtra);
        Map<String, String> audit = new LinkedHashMap<>(AuditTables.sinkConfig(hive, DB, AUDIT, 1));
        audit.put("hive.jdbc.url", hive.jdbcUrl().replace(":" + hive.port() + "/", ":" + hiveGate.port() + "/"));
        audit.put("hive.user", "cdc");
        audit.put("hive.password", PASSWORD);
        // INSERTs over JDBC: every write needs HiveServer2, and a failed one is the error text most likely to hold rows.
        audit.put("write.mode", "jdbc");
        audit.put("flush.size", "1");
        audit.put("retry.backoff.ms", "200");
        Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
        sinks.put("search", search);
        sinks.put("audit", audit);
        return CdcMeshRuntime.writePipeline(inputs.resolve(name), runtime, "studio", source, sinks);
    }

    private static int statusPort(Path pipeline) throws IOException {
        return JSON.readTree(pipeline.toFile()).path("runtime").path("status.port").asInt();
    }

    /** Every line of {@code text} holding the sentinel, named by where it was found. */
    private static List<String> occurrences(String where, String text) {
        List<String> found = new ArrayList<>();
        text.lines().filter(line -> line.contains(SENTINEL)).forEach(line -> found.add(where + ": " + line));
        return found;
    }

    /** A dead-letter file's lines without the records' keys and values: its topic, offsets, errors and headers. */
    private static String withoutRecords(String text) throws IOException {
        StringBuilder rest = new StringBuilder();
        for (String line : text.lines().toList()) {
            ObjectNode entry = (ObjectNode) JSON.readTree(line);
            entry.remove(List.of("key", "value"));
            rest.append(entry).append('\n');
        }
        return rest.toString();
    }

    private static List<String> lines(Path file) {
        return text(file).lines().toList();
    }

    private static String text(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
