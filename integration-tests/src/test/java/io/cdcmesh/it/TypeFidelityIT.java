package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MariaDbExtension;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every column type of {@link TypeCases} at its extremes, on MySQL 8 and MariaDB, through the snapshot (rows 1 to 3,
 * there before capture starts) and the binlog (the same rows again as 11 to 13), in a Kafka Connect worker (JSON
 * converter) and in {@code cdc-mesh run}: each value in the Elasticsearch document and in the Hive audit row is checked
 * against the sinks' documented mapping, every mismatch reported together. Beside it, a table named with every odd
 * character identifiers may hold, and a point the index can't hold, which goes to the dead-letter queue naming its
 * column while the rest of its batch lands.
 */
@ExtendWith({MySqlExtension.class, MariaDbExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class TypeFidelityIT {
    private static final ObjectMapper JSON = SinkValues.JSON;
    private static final String TABLE = "all_types";
    /** The spatial columns of {@link TypeCases}, checked against the source's own WKB. */
    private static final List<String> SPATIAL = List.of("pt", "mpt", "mls", "mpg", "ls", "pg", "gc", "geo");
    /** A table whose name and columns hold what identifiers may: quotes, backticks, |, @, $, dots, spaces, unicode. */
    private static final String ODD_TABLE = "Odd \"N\u00e4me\" $@";
    /** Each odd column name, and the name of its audit column in Hive (characters Hive can't hold become '_'). */
    private static final Map<String, String> ODD_COLUMNS = new LinkedHashMap<>();

    static {
        ODD_COLUMNS.put("Mixed Case", "mixed case");
        ODD_COLUMNS.put("order", "order");
        ODD_COLUMNS.put("dot.ted", "dot_ted");
        ODD_COLUMNS.put("pipe|col", "pipe_col");
        ODD_COLUMNS.put("at@sign", "at_sign");
        ODD_COLUMNS.put("dollar$", "dollar$");
        ODD_COLUMNS.put("quote\"d", "quote_d");
        ODD_COLUMNS.put("back`tick", "back_tick");
        ODD_COLUMNS.put("\u00fcn\u00efcode", "\u00fcn\u00efcode");
    }
    private static final String AUDIT = "types_audit";

    private final Path work = WorkDir.fresh("type-fidelity");
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    /** One pipeline under test: a server, a runtime, and the database (and so the index and audit table) it owns. */
    private record Pipeline(SqlServer server, boolean mariadb, boolean connect) {
        String db() {
            return "types_" + (mariadb ? "mariadb" : "mysql") + "_" + (connect ? "connect" : "run");
        }

        String prefix() {
            return connect ? "tc" : "tr";
        }
    }

    @Test
    void everyColumnTypeAtItsExtremesLandsExactlyAndAValueTheIndexCannotHoldIsDeadLetteredAlone(MySqlServer mysql, MariaDbServer mariadb, ElasticsearchServer es,
            HiveServer hive) throws Exception {
        List<Pipeline> pipelines = List.of(new Pipeline(mysql, false, false), new Pipeline(mysql, false, true),
                new Pipeline(mariadb, true, false), new Pipeline(mariadb, true, true));
        hive.execute("DROP DATABASE IF EXISTS " + AUDIT + " CASCADE");
        for (Pipeline p : pipelines) {
            p.server().recreateDatabase(p.db());
            p.server().execute(p.db(), createTable(p.mariadb()), "CREATE TABLE " + quoted(ODD_TABLE) + " (id INT PRIMARY KEY, "
                    + ODD_COLUMNS.keySet().stream().map(c -> quoted(c) + " INT").collect(Collectors.joining(", ")) + ")",
                    "CREATE TABLE unholdable (id INT PRIMARY KEY, p POINT, note VARCHAR(10))");
            insertRows(p, 0);
            es.request("DELETE", "/" + p.db() + "." + TABLE + "?ignore_unavailable=true", null);
        }

        EmbeddedKafkaCluster kafka = closer.broker();
        ConnectWorkerProcess worker = closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "types-it", "types-it-1"));
        for (Pipeline p : pipelines) {
            if (p.connect()) {
                Map<String, String> source = source(p);
                source.put("schema.history.internal.kafka.bootstrap.servers", kafka.bootstrapServers());
                source.put("schema.history.internal.kafka.topic", "history." + p.db());
                source.put("topic.creation.default.replication.factor", "1");
                source.put("topic.creation.default.partitions", "1");
                // As connect-configs/*-source.json: a row with a 1 MiB BLOB is 2.6 MB as JSON with schemas.
                source.put("producer.override.max.request.size", "16777216");
                source.put("topic.creation.default.max.message.bytes", "16777216");
                worker.put("source-" + p.db(), withCdcMeshJson(source));
            }
        }
        Map<String, String> connectSearch = withCdcMeshJson(elasticsearchSink(es, "tc"));
        connectSearch.put("errors.deadletterqueue.topic.name", "types.dlq.es");
        connectSearch.put("errors.deadletterqueue.topic.replication.factor", "1");
        connectSearch.put("errors.deadletterqueue.context.headers.enable", "true");
        worker.put("es", connectSearch);
        worker.put("hive", withCdcMeshJson(hiveSink(hive, "tc")));
        for (Pipeline p : pipelines) {
            if (!p.connect()) {
                Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
                sinks.put("es", elasticsearchSink(es, "tr"));
                sinks.put("hive", hiveSink(hive, "tr"));
                Map<String, String> runtime = Map.of("data.dir", work.resolve(p.db()).toString(), "status.port", "-1");
                Path file = CdcMeshRuntime.writePipeline(work.resolve(p.db() + ".json"), runtime, p.db(), source(p), sinks);
                closer.add(CdcMeshRuntime.start(p.db(), work, work.resolve(p.db() + ".log"), Map.of(), "run", file.toString()));
            }
        }

        // Snapshot first, then the same rows through the binlog. A pipeline that falls short is reported with the others.
        List<String> mismatches = new ArrayList<>();
        for (Pipeline p : pipelines) {
            if (!SinkValues.awaited(Duration.ofSeconds(240), () -> IndexComparisons.count(es, p.db() + "." + TABLE) == TypeCases.ROWS)) {
                mismatches.add(p.db() + ": the snapshot's " + TypeCases.ROWS + " rows were not all indexed");
            }
        }
        for (Pipeline p : pipelines) {
            insertRows(p, 10);
        }

        for (Pipeline p : pipelines) {
            String index = p.db() + "." + TABLE;
            String audit = AUDIT + "." + p.db() + "_" + TABLE;
            if (!SinkValues.awaited(Duration.ofSeconds(120), () -> SinkValues.documents(es, index).size() == 2 * TypeCases.ROWS)) {
                mismatches.add(index + ": not every row of both paths was indexed");
            }
            if (!SinkValues.awaited(Duration.ofSeconds(120), () -> AuditTables.rows(hive, audit) == 2 * TypeCases.ROWS)) {
                mismatches.add(audit + ": not every row of both paths is in the audit");
            }
            Map<String, JsonNode> docs = SinkValues.documents(es, index);
            Map<String, Map<String, Object>> auditRows = AuditTables.rows(hive, audit) > 0 ? SinkValues.auditRows(hive, audit, p.mariadb()) : Map.of();
            Map<String, String> wkb = sourceWkb(p);
            if (!auditRows.isEmpty()) {
                for (Map<String, Object> column : hive.query("DESCRIBE " + audit)) {
                    String name = String.valueOf(column.get("col_name")).trim();
                    String expected = name.startsWith("after_") ? TypeCases.HIVE_TYPES.get(name.substring(6)) : null;
                    String type = String.valueOf(column.get("data_type")).trim();
                    if (expected != null && !expected.equalsIgnoreCase(type)) {
                        mismatches.add("Hive " + audit + " column " + name + ": expected type " + expected + ", got " + type);
                    }
                }
            }
            for (int offset : new int[] {0, 10}) {
                String path = offset == 0 ? "snapshot" : "binlog";
                for (int row = 1; row <= TypeCases.ROWS; row++) {
                    String id = Integer.toString(offset + row);
                    for (TypeCases.Case c : TypeCases.CASES) {
                        if (!c.on(p.mariadb())) {
                            continue;
                        }
                        String where = p.db() + " " + path + " row " + row + " " + c.column();
                        JsonNode doc = docs.get(id);
                        checkElasticsearch(where, c, row, doc == null ? null : doc.get(c.column()),
                                doc == null ? null : doc.path("_doubles").get(c.column()), wkb.get(id + "/" + c.column()), mismatches);
                        checkHive(where, c, row, auditRows.get(id) == null ? null : auditRows.get(id).get("after_" + c.column()),
                                wkb.get(id + "/" + c.column()), mismatches);
                    }
                }
            }
        }
        for (Pipeline p : pipelines) {
            checkOddNames(p, es, hive, mismatches);
            checkUnholdable(p, es, hive, kafka.bootstrapServers(), mismatches);
        }
        assertThat(mismatches).as("values that differ from the documented mapping:\n" + String.join("\n", mismatches)).isEmpty();
    }

    private static String createTable(boolean mariadb) {
        return "CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, " + TypeCases.CASES.stream().filter(c -> c.on(mariadb))
                .map(c -> c.column() + " " + c.type(mariadb)).collect(Collectors.joining(", ")) + ")";
    }

    /** Rows 1 to 3 at ids {@code offset + row}; zero dates need a sql_mode that allows them. */
    private static void insertRows(Pipeline p, int offset) {
        List<String> statements = new ArrayList<>();
        statements.add("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION'");
        statements.add("SET SESSION time_zone = '+00:00'");
        for (int row = 1; row <= TypeCases.ROWS; row++) {
            int r = row;
            List<TypeCases.Case> cases = TypeCases.CASES.stream().filter(c -> c.on(p.mariadb())).toList();
            statements.add("INSERT INTO " + TABLE + " (id, " + cases.stream().map(TypeCases.Case::column).collect(Collectors.joining(", "))
                    + ") VALUES (" + (offset + row) + ", " + cases.stream().map(c -> c.literal(p.mariadb(), r))
                    .collect(Collectors.joining(", ")) + ")");
        }
        List<String> odd = new ArrayList<>(ODD_COLUMNS.keySet());
        statements.add("INSERT INTO " + quoted(ODD_TABLE) + " VALUES (" + (offset + 1) + ", " + java.util.stream.IntStream
                .range(0, odd.size()).mapToObj(i -> Integer.toString(offset * 100 + i)).collect(Collectors.joining(", ")) + ")");
        // A point Elasticsearch's geo_point can't hold (a Cartesian SRID 0 point at x = 1000), beside one it can.
        statements.add("INSERT INTO unholdable VALUES (" + (offset + 1) + ", ST_GeomFromText('POINT(10 20)'), 'fits'), ("
                + (offset + 2) + ", ST_GeomFromText('POINT(1000 1000)'), 'too far')");
        p.server().execute(p.db(), statements.toArray(String[]::new));
    }

    /**
     * A value the index can't hold goes to the Elasticsearch sink's dead-letter queue (Connect's topic, or the runtime's
     * file) naming its column, and the rest lands: the good rows in the index, every row in the audit.
     */
    private void checkUnholdable(Pipeline p, ElasticsearchServer es, HiveServer hive, String kafka, List<String> mismatches)
            throws Exception {
        String index = p.db() + ".unholdable";
        if (!SinkValues.awaited(Duration.ofSeconds(60), () -> SinkValues.documents(es, index).keySet().equals(java.util.Set.of("1", "11")))) {
            mismatches.add(index + ": expected exactly the rows that fit, 1 and 11, got " + SinkValues.documents(es, index).keySet());
        }
        if (!SinkValues.awaited(Duration.ofSeconds(60), () -> AuditTables.rows(hive, AUDIT + "." + p.db() + "_unholdable") == 4)) {
            mismatches.add(p.db() + ": the audit of unholdable does not hold its 4 rows");
        }
        List<String> reasons = new ArrayList<>();
        if (!SinkValues.awaited(Duration.ofSeconds(60), () -> {
            reasons.clear();
            reasons.addAll(deadLetterReasons(p, kafka));
            return reasons.size() >= 2;
        }) || reasons.size() != 2) {
            mismatches.add(p.db() + ": expected the 2 rows of unholdable that do not fit in the Elasticsearch sink's dead"
                    + " letters, got " + reasons);
        }
        for (String reason : reasons) {
            if (!reason.contains("[p]") || !reason.contains("geo_point")) {
                mismatches.add(p.db() + ": a dead letter's reason does not name column p and its type: " + reason);
            }
        }
    }

    /**
     * The reasons of the Elasticsearch sink's dead letters from this pipeline's unholdable table, one per source record:
     * a dead-letter queue is at-least-once (a record redelivered after a rebalance is reported again).
     */
    private List<String> deadLetterReasons(Pipeline p, String kafka) {
        String topic = p.prefix() + "." + p.db() + ".unholdable";
        if (p.connect()) {
            Map<String, String> byOffset = new java.util.TreeMap<>();
            StudioPipeline.read(kafka, "types.dlq.es").stream()
                    .filter(r -> topic.equals(io.cdcmesh.testkit.connect.ConnectWorkers.header(r, "__connect.errors.topic")))
                    .forEach(r -> byOffset.put(io.cdcmesh.testkit.connect.ConnectWorkers.header(r, "__connect.errors.partition") + "@"
                            + io.cdcmesh.testkit.connect.ConnectWorkers.header(r, "__connect.errors.offset"),
                            io.cdcmesh.testkit.connect.ConnectWorkers.header(r, "__connect.errors.exception.message")));
            return new ArrayList<>(byOffset.values());
        }
        Path file = work.resolve(p.db()).resolve("dead-letter/es.jsonl");
        try {
            Map<String, String> byOffset = new java.util.TreeMap<>();
            for (String line : java.nio.file.Files.exists(file) ? java.nio.file.Files.readAllLines(file) : List.<String>of()) {
                JsonNode entry = JSON.readTree(line);
                if (topic.equals(entry.path("topic").asText())) {
                    byOffset.put(entry.path("partition").asText() + "@" + entry.path("offset").asText(), entry.path("error").asText());
                }
            }
            return new ArrayList<>(byOffset.values());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String quoted(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    /** The odd table's two rows: every column under its own name in Elasticsearch, under its Hive name in the audit. */
    private static void checkOddNames(Pipeline p, ElasticsearchServer es, HiveServer hive, List<String> mismatches)
            throws Exception {
        // As the sink's README says: lowercase, and \ / * ? " < > | space , # : as '_'.
        String index = (p.db() + "." + ODD_TABLE).toLowerCase(java.util.Locale.ROOT).replaceAll("[\\\\/*?\"<>| ,#:]", "_");
        // As the Hive sink's README says: lowercase, each character but letters, digits and '_' as '_'.
        String audit = AUDIT + "." + (p.db() + "_" + ODD_TABLE).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (!SinkValues.awaited(Duration.ofSeconds(60), () -> SinkValues.documents(es, index).size() == 2)) {
            mismatches.add(p.db() + ": index " + index + " of the odd table does not hold its 2 rows");
        }
        if (!SinkValues.awaited(Duration.ofSeconds(60), () -> AuditTables.rows(hive, audit) == 2)) {
            mismatches.add(p.db() + ": " + audit + " does not hold the odd table's 2 rows");
            return;
        }
        Map<String, JsonNode> docs = SinkValues.documents(es, index);
        List<Map<String, Object>> rows = hive.query("SELECT * FROM " + audit);
        List<String> odd = new ArrayList<>(ODD_COLUMNS.keySet());
        for (int offset : new int[] {0, 10}) {
            String id = Integer.toString(offset + 1);
            Map<String, Object> row = rows.stream().filter(r -> id.equals(String.valueOf(r.get("id")))).findFirst().orElse(Map.of());
            for (int i = 0; i < odd.size(); i++) {
                int expected = offset * 100 + i;
                JsonNode doc = docs.get(id);
                if (doc == null || doc.path(odd.get(i)).asInt(-1) != expected) {
                    mismatches.add("Elasticsearch " + p.db() + " odd table row " + id + " column '" + odd.get(i) + "': expected "
                            + expected + ", got " + (doc == null ? null : doc.get(odd.get(i))));
                }
                Object audited = row.get("after_" + ODD_COLUMNS.get(odd.get(i)));
                if (audited == null || ((Number) audited).intValue() != expected) {
                    mismatches.add("Hive " + p.db() + " odd table row " + id + " column 'after_" + ODD_COLUMNS.get(odd.get(i))
                            + "': expected " + expected + ", got " + audited + " (columns " + row.keySet() + ")");
                }
            }
        }
    }

    private static Map<String, String> source(Pipeline p) {
        Map<String, String> source = new LinkedHashMap<>(p.server().debeziumConnection());
        source.put("connector.class", p.mariadb() ? "io.debezium.connector.mariadb.MariaDbConnector"
                : "io.debezium.connector.mysql.MySqlConnector");
        source.put("tasks.max", "1");
        source.put("topic.prefix", p.prefix());
        source.put("database.include.list", p.db());
        source.put("poll.interval.ms", "50");
        source.put("decimal.handling.mode", "precise");
        source.put("bigint.unsigned.handling.mode", "precise");
        source.put("enable.time.adjuster", "false");
        if (p.mariadb()) {
            source.put("provide.transaction.metadata", "true");
            // As connect-configs/mariadb-source.json: MariaDB's driver otherwise reads YEAR as a date and throws on 0000.
            source.put("driver.yearIsDateType", "false");
        }
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        source.put("transforms.normalize.temporal.types", "logical");
        return source;
    }

    /**
     * cdc-mesh's JSON converter, as connect-configs/converters/cdc-mesh-json.properties sets it: Kafka's bytes, but a
     * -0.0 keeps its sign (Kafka's converter reads it as 0.0).
     */
    private static Map<String, String> withCdcMeshJson(Map<String, String> config) {
        config.put("key.converter", "io.cdcmesh.converters.json.JsonConverter");
        config.put("value.converter", "io.cdcmesh.converters.json.JsonConverter");
        return config;
    }

    private static Map<String, String> elasticsearchSink(ElasticsearchServer es, String prefix) {
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        sink.put("topics.regex", prefix + "\\.types_.*");
        sink.put("connection.url", es.url());
        sink.put("index.replicas", "0");
        sink.put("consumer.override.metadata.max.age.ms", "1000");
        // A value the index can't hold goes to the dead-letter queue (a topic on Connect, a file in cdc-mesh run).
        sink.put("errors.tolerance", "all");
        return sink;
    }

    private static Map<String, String> hiveSink(HiveServer hive, String prefix) {
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", "io.cdcmesh.sink.hive.HiveAuditSinkConnector");
        sink.put("topics.regex", prefix + "\\.types_.*");
        sink.put("hive.jdbc.url", hive.jdbcUrl());
        sink.put("hive.database", AUDIT);
        sink.put("table.location", hive.externalWarehouse().resolveSibling(AUDIT).toUri().toString());
        sink.put("rotate.interval.ms", "2000");
        sink.put("consumer.override.metadata.max.age.ms", "1000");
        return sink;
    }

    /** The WKB of every spatial value, from the source itself, Base64, by {@code id/column}. */
    private static Map<String, String> sourceWkb(Pipeline p) throws Exception {
        Map<String, String> wkb = new HashMap<>();
        try (Connection c = p.server().connect(p.db()); Statement s = c.createStatement();
                // MySQL 8 writes SRID 4326 as latitude-longitude unless told; the binlog (and Debezium) hold x = longitude.
                ResultSet rs = s.executeQuery("SELECT id, " + SPATIAL.stream().map(column -> "TO_BASE64(ST_AsBinary(" + column
                        + (p.mariadb() || column.equals("geo") ? "" : ", 'axis-order=long-lat'") + "))").collect(Collectors.joining(", "))
                        + " FROM " + TABLE)) {
            while (rs.next()) {
                for (int i = 0; i < SPATIAL.size(); i++) {
                    String base64 = rs.getString(i + 2);
                    wkb.put(rs.getInt(1) + "/" + SPATIAL.get(i), base64 == null ? null : base64.replace("\n", ""));
                }
            }
        }
        return wkb;
    }

    private static void checkElasticsearch(String where, TypeCases.Case c, int row, JsonNode actual, JsonNode asDouble, String wkb,
            List<String> mismatches) throws Exception {
        String expected = c.es().get(row - 1);
        boolean ok;
        if (expected == null) {
            ok = actual == null || actual.isNull();
        } else if (actual == null) {
            ok = false;
        } else {
            Boolean computed = SinkValues.computed(expected, actual.isNumber() && asDouble != null ? asDouble.asText() : actual.asText(), wkb);
            ok = computed != null ? computed : SinkValues.same(JSON.readTree(expected), actual);
        }
        if (!ok) {
            mismatches.add("Elasticsearch " + where + ": expected " + SinkValues.abbreviate(expected) + ", got " + SinkValues.abbreviate(String.valueOf(actual)));
        }
    }

    private static void checkHive(String where, TypeCases.Case c, int row, Object actual, String wkb, List<String> mismatches)
            throws Exception {
        String expected = c.hive().get(row - 1);
        String text = actual == null ? null : actual.toString();
        boolean ok;
        if (expected == null || text == null) {
            ok = expected == text;
        } else {
            Boolean computed = SinkValues.computed(expected, text, wkb);
            ok = computed != null ? computed : text.equals(expected);
        }
        if (!ok) {
            mismatches.add("Hive " + where + ": expected " + SinkValues.abbreviate(expected) + ", got " + SinkValues.abbreviate(text));
        }
    }

}
