package io.cdcmesh.bench.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.bench.kit.BulkCeiling;
import io.cdcmesh.bench.kit.CpuMeter;
import io.cdcmesh.bench.kit.Prober;
import io.cdcmesh.bench.kit.Rows;
import io.cdcmesh.bench.kit.SteadyWriter;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SchemaRegistryServer;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.connect.LoopbackKafka;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * The Elasticsearch sink against the node it writes to, in one run on one node:
 *
 * <ol>
 *   <li><b>Throughput.</b> Two topics of two partitions are pre-filled with normalized change events (Debezium's
 *       snapshot of one MySQL table through {@code NormalizeChangeEvent}): one as JSON with schemas (Connect's
 *       default), one as Avro through cdc-mesh's converter and a real schema registry; the sources are then deleted
 *       so that they take no CPU. The sink, loaded from its plugin archive by a real Connect worker in its own JVM,
 *       drains a topic into its own index; its rate is read from its own JMX counters. The ceiling is the same
 *       documents, with the same ids and mapping, sent by the plain elasticsearch-java client straight to the node in
 *       the same requests as the sink's: one sink task (tasks.max=1, bench.es.tasks) with its defaults, batch.size 2000
 *       and max.in.flight.requests 5, against one client with batches of 2000 and 5 requests in flight. Sink and
 *       ceiling runs alternate (sink, ceiling, ...) so that neither has the warmer node; after uncounted warm-up
 *       runs of both (the JITs of the node and the worker), each format runs three times, and the best of each
 *       counts. The CPU each process used during each run is printed with it.</li>
 *   <li><b>Freshness</b>, once per format. Inserts into MySQL at a steady rate (one multi-row INSERT every 10 ms),
 *       through Debezium, NormalizeChangeEvent and the sink, with the index's default 1 s refresh. A prober counts
 *       searchable documents ({@code _count}) every 20 ms; a row's freshness is the time from its INSERT's commit
 *       returning to the first probe that counts as many documents as there are rows up to it. A second prober
 *       reads the topic's end offset the same way, which splits the delay into the source's part and the sink's. The
 *       first 5 s are warm-up. The sink's own histogram (source commit {@code ts} to bulk acknowledgement) is
 *       printed beside it.</li>
 * </ol>
 */
public final class ElasticsearchSinkBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "bench";
    /** Sink tasks per throughput run (tasks.max); the topics have two partitions. */
    private static final int TASKS = Integer.getInteger("bench.es.tasks", 1);
    /** The sources' poll.interval.ms: 10 as shipped; Debezium's default, 500, for comparison. */
    private static final int SOURCE_POLL_MS = Integer.getInteger("bench.es.source.poll.ms", 10);

    private final ElasticsearchServer es;
    private final MySqlServer mysql;
    private final EmbeddedKafkaCluster kafka;
    private final ConnectWorkerProcess worker;
    private final SchemaRegistryServer registry;
    private final CpuMeter cpu;

    private ElasticsearchSinkBenchmark(ElasticsearchServer es, MySqlServer mysql, EmbeddedKafkaCluster kafka,
            ConnectWorkerProcess worker, SchemaRegistryServer registry) {
        this.es = es;
        this.mysql = mysql;
        this.kafka = kafka;
        this.worker = worker;
        this.registry = registry;
        this.cpu = new CpuMeter().add("ES node", es.pid()).add("Connect worker", worker.pid())
                .add("this JVM (broker, ceiling client)", ProcessHandle.current().pid());
    }

    public static void main(String[] args) throws Exception {
        int documents = Integer.getInteger("bench.es.documents", 200_000);
        int rate = Integer.getInteger("bench.es.rate", 5_000);
        int seconds = Integer.getInteger("bench.es.seconds", 30);
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        try (ElasticsearchServer es = ElasticsearchServer.launch(); MySqlServer mysql = MySqlServer.launch();
                SchemaRegistryServer registry = SchemaRegistryServer.launch()) {
            EmbeddedKafkaCluster kafka = LoopbackKafka.start(broker);
            try (AutoCloseable stopKafka = kafka::stop;
                    ConnectWorkerProcess worker = ConnectWorkerProcess.start(kafka.bootstrapServers(), "bench", "bench-worker")) {
                ElasticsearchSinkBenchmark bench = new ElasticsearchSinkBenchmark(es, mysql, kafka, worker, registry);
                mysql.recreateDatabase(DB);
                // bench.es.documents=0: freshness only.
                Throughput throughput = documents > 0 ? bench.throughput(documents) : null;
                if (throughput == null) {
                    // Freshness alone: one uncounted round of each format first, as the throughput runs otherwise warm
                    // the worker's and the node's JITs (cold, the source fell seconds behind at 5,000 rows/s).
                    bench.freshness(rate, seconds, JSON_FORMAT, json(), "w");
                    bench.freshness(rate, seconds, AVRO_FORMAT, bench.avro(), "w");
                }
                Freshness freshness = bench.freshness(rate, seconds, JSON_FORMAT, json(), "");
                Freshness avroFreshness = bench.freshness(rate, seconds, AVRO_FORMAT, bench.avro(), "");
                System.out.println();
                System.out.printf("== Elasticsearch sink benchmark (one node, tasks.max=%d, %d cores shared by all servers;"
                        + " sources with poll.interval.ms=%d) ==%n", TASKS, Runtime.getRuntime().availableProcessors(), SOURCE_POLL_MS);
                if (throughput != null) {
                    throughput.print();
                }
                freshness.print();
                avroFreshness.print();
            }
        }
        // The embedded broker leaves non-daemon threads behind; everything this run started is stopped above.
        System.exit(0);
    }

    // ---------------------------------------------------------------------------------------------- throughput

    record SinkRun(String name, String format, int tasks, double steadyRate, double rateFromStart, String cpu) {}

    record Ceiling(double rate, String cpu) {}

    record Throughput(int documents, List<SinkRun> sinkRuns, List<Ceiling> ceilings) {
        void print() {
            double ceiling = ceilings.stream().mapToDouble(Ceiling::rate).max().orElseThrow();
            System.out.printf("throughput: %,d documents from pre-filled topics of 2 partitions (the same table captured"
                    + " twice: JSON with schemas, and Avro with a schema registry), batch.size 2000, max.in.flight.requests 5,"
                    + " run in the order listed; CPU in cores while each ran%n", documents);
            for (int i = 0; i < sinkRuns.size(); i++) {
                SinkRun run = sinkRuns.get(i);
                System.out.printf("  sink in a Connect worker, %s, tasks.max=%d: %,.0f docs/s steady (first to last document),"
                        + " %,.0f docs/s including task start%n      CPU: %s%n", run.format(), run.tasks(), run.steadyRate(),
                        run.rateFromStart(), run.cpu());
                if (i < ceilings.size()) {
                    System.out.printf("  ceiling, the plain client bulk-indexing the same documents: %,.0f docs/s%n      CPU: %s%n",
                            ceilings.get(i).rate(), ceilings.get(i).cpu());
                }
            }
            for (String format : List.of(AVRO_FORMAT, JSON_FORMAT, KAFKA_JSON_FORMAT)) {
                double best = sinkRuns.stream().filter(r -> r.format().equals(format)).mapToDouble(SinkRun::steadyRate).max().orElseThrow();
                System.out.printf("  ratio best sink (%s) / best ceiling: %,.0f / %,.0f = %.2f%s%n", format, best,
                        ceiling, best / ceiling, format.equals(KAFKA_JSON_FORMAT) ? " (for comparison)" : " (target >= 0.85)");
            }
        }
    }

    static final String JSON_FORMAT = "JSON with schemas, cdc-mesh's JsonConverter";
    static final String KAFKA_JSON_FORMAT = "JSON with schemas, Kafka's JsonConverter";
    static final String AVRO_FORMAT = "Avro";

    private Throughput throughput(int documents) throws Exception {
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), studio VARCHAR(40), launch_date DATE,"
                + " budget DECIMAL(12,2), runtime_minutes INT, rating DOUBLE, updated_at DATETIME(6))");
        Rows.fillTitles(mysql, DB, documents);
        String topic = fill("bench", documents, Map.of());
        String avroTopic = fill("benchavro", documents, avro());

        List<SinkRun> runs = new ArrayList<>();
        List<Ceiling> ceilings = new ArrayList<>();
        // Kafka's own JSON converter first: the figure to compare with, and the node's first (JIT) warm-up.
        runs.add(drain(topic, documents, "json-kafka-" + TASKS, TASKS, KAFKA_JSON_FORMAT, Map.of()));
        BulkCeiling ceiling = BulkCeiling.load(es, DB + ".titles-json-kafka-" + TASKS);
        es.request("DELETE", "/" + DB + ".titles-json-kafka-" + TASKS, null);
        ceilings.add(ceiling(ceiling, "ceiling-1"));
        // The node and the worker get faster over their first million documents or so (their JITs): two more runs of
        // the ceiling and one of each format, not counted, then each format three times, every run followed by a
        // ceiling run, and the best of each counts.
        for (int warmUp = 1; warmUp <= 2; warmUp++) {
            ceiling.run("warm-up-" + warmUp, 2_000, 5, () -> { }, () -> { });
        }
        drain(avroTopic, documents, "warm-up-avro", TASKS, AVRO_FORMAT, avro());
        es.request("DELETE", "/" + DB + ".titles-warm-up-avro", null);
        drain(topic, documents, "warm-up-json", TASKS, JSON_FORMAT, json());
        es.request("DELETE", "/" + DB + ".titles-warm-up-json", null);
        for (int round = 1; round <= 3; round++) {
            runs.add(drain(avroTopic, documents, "avro-" + TASKS + "-" + round, TASKS, AVRO_FORMAT, avro()));
            es.request("DELETE", "/" + DB + ".titles-avro-" + TASKS + "-" + round, null);
            ceilings.add(ceiling(ceiling, "ceiling-avro-" + round));
            runs.add(drain(topic, documents, "json-" + TASKS + "-" + round, TASKS, JSON_FORMAT, json()));
            es.request("DELETE", "/" + DB + ".titles-json-" + TASKS + "-" + round, null);
            ceilings.add(ceiling(ceiling, "ceiling-json-" + round));
        }
        return new Throughput(documents, runs, ceilings);
    }

    private Ceiling ceiling(BulkCeiling ceiling, String name) throws Exception {
        CpuMeter.Sample[] window = new CpuMeter.Sample[2];
        double rate = ceiling.run(name, 2_000, 5, () -> window[0] = cpu.sample(), () -> window[1] = cpu.sample());
        return new Ceiling(rate, CpuMeter.between(window[0], window[1]));
    }

    /** Debezium's snapshot of the titles table into a topic of its own ({@code prefix}), then the source is deleted. */
    private String fill(String prefix, int documents, Map<String, String> converters) throws Exception {
        String topic = prefix + "." + DB + ".titles";
        Map<String, String> source = source(prefix, DB + ".titles", 2);
        source.putAll(converters);
        worker.put(prefix + "-source", source);
        Await.until(Duration.ofMinutes(10), documents + " events in " + topic, () -> endOffset(topic) >= documents);
        worker.delete(prefix + "-source");
        System.out.printf("[bench] %s holds %,d events%n", topic, endOffset(topic));
        return topic;
    }

    /** cdc-mesh's Avro converter (connect-configs/converters/apicurio-avro.properties) against the registry. */
    private Map<String, String> avro() {
        Map<String, String> converters = new HashMap<>();
        for (String side : List.of("key", "value")) {
            converters.put(side + ".converter", "io.cdcmesh.converters.AvroConverter");
            converters.put(side + ".converter.apicurio.registry.url", registry.apicurioUrl());
        }
        return converters;
    }

    /** cdc-mesh's JSON converter (connect-configs/converters/cdc-mesh-json.properties) for the sink's keys and values. */
    private static Map<String, String> json() {
        return Map.of("key.converter", "io.cdcmesh.converters.json.JsonConverter",
                "value.converter", "io.cdcmesh.converters.json.JsonConverter");
    }

    /** A new sink connector {@code name} drains the whole topic into its own index; its rate from its JMX counters. */
    private SinkRun drain(String topic, int documents, String name, int tasks, String format, Map<String, String> converters)
            throws Exception {
        Map<String, String> sink = sink(topic);
        sink.putAll(converters);
        sink.put("tasks.max", Integer.toString(tasks));
        sink.put("index.name.pattern", "${db}.${table}-" + name);
        long created = System.nanoTime();
        worker.put(name, sink);
        long[] first = new long[2];
        CpuMeter.Sample[] window = new CpuMeter.Sample[2];
        long done;
        try (JMXConnector jmx = Await.value(Duration.ofSeconds(30), "JMX connection to the worker", () -> {
            try {
                return worker.jmx();
            } catch (IOException notYet) {
                return null;
            }
        }, c -> c != null)) {
            MBeanServerConnection server = jmx.getMBeanServerConnection();
            List<ObjectName> taskNames = new ArrayList<>();
            for (int task = 0; task < tasks; task++) {
                taskNames.add(new ObjectName("io.cdcmesh:type=elasticsearch-sink-task,connector=\"" + name + "\",task=\"" + task + "\""));
            }
            Await.until(Duration.ofMinutes(2), name + "'s first acknowledged document", () -> {
                long indexed = indexed(server, taskNames);
                if (indexed > 0) {
                    window[0] = cpu.sample();
                    first[0] = System.nanoTime();
                    first[1] = indexed;
                    return true;
                }
                return false;
            });
            Await.until(Duration.ofMinutes(10), name + " to index " + documents + " documents",
                    () -> indexed(server, taskNames) >= documents);
            done = System.nanoTime();
            window[1] = cpu.sample();
        }
        worker.delete(name);
        String index = DB + ".titles-" + name;
        es.request("POST", "/" + index + "/_refresh", null);
        long count = count(index);
        if (count != documents) {
            throw new IllegalStateException(index + " holds " + count + " documents, expected " + documents);
        }
        SinkRun run = new SinkRun(name, format, tasks, (documents - first[1]) / ((done - first[0]) / 1e9), documents / ((done - created) / 1e9),
                CpuMeter.between(window[0], window[1]));
        System.out.printf("[bench] %s (%s, tasks.max=%d): %,.0f docs/s%n", name, format, tasks, run.steadyRate());
        return run;
    }

    private static long indexed(MBeanServerConnection server, List<ObjectName> tasks) {
        long sum = 0;
        for (ObjectName task : tasks) {
            sum += indexed(server, task);
        }
        return sum;
    }

    private static long indexed(MBeanServerConnection server, ObjectName task) {
        try {
            return server.isRegistered(task) ? (Long) server.getAttribute(task, "DocumentsIndexed") : 0;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read DocumentsIndexed of " + task, e);
        }
    }

    // ----------------------------------------------------------------------------------------------- freshness

    private Freshness freshness(int rate, int seconds, String format, Map<String, String> converters, String round) throws Exception {
        String tag = (format.equals(AVRO_FORMAT) ? "avro" : "json") + round;
        String table = "events_" + tag;
        mysql.execute(DB, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(100), studio VARCHAR(40),"
                + " amount DECIMAL(12,2), updated_at DATETIME(6))");
        mysql.execute(DB, "INSERT INTO " + table + " VALUES (0, 'probe', 'probe', 0, NOW(6))");
        String topic = "fresh" + tag + "." + DB + "." + table;
        String index = DB + "." + table;
        String sourceName = "fresh-source-" + tag;
        String sinkName = "fresh-es-" + tag;
        Map<String, String> source = source("fresh" + tag, DB + "." + table, 1);
        source.putAll(converters);
        worker.put(sourceName, source);
        Map<String, String> sink = sink(topic);
        sink.putAll(converters);
        worker.put(sinkName, sink);
        Await.until(Duration.ofMinutes(2), "the probe row searchable in " + index, () -> count(index) >= 1);

        SteadyWriter writer = new SteadyWriter(mysql, DB, table, rate, seconds);
        Prober prober = new Prober(() -> count(index));
        Thread probing = new Thread(prober, "freshness-prober");
        probing.start();
        // The same measure up to the topic: how much of the delay is the source's (Debezium, the SMT, the producer).
        Admin topicAdmin = kafka.createAdminClient();
        Map<TopicPartition, OffsetSpec> latest = Map.of(new TopicPartition(topic, 0), OffsetSpec.latest());
        Prober topicProber = new Prober(() -> {
            try {
                return topicAdmin.listOffsets(latest).all().get().values().iterator().next().offset();
            } catch (Exception e) {
                throw new IllegalStateException("cannot read the end offset of " + topic, e);
            }
        });
        Thread topicProbing = new Thread(topicProber, "topic-prober");
        topicProbing.start();
        // And up to the sink's acknowledgement: its count of documents the node acknowledged, read over JMX.
        JMXConnector ackJmx = worker.jmx();
        ObjectName sinkTask = new ObjectName("io.cdcmesh:type=elasticsearch-sink-task,connector=\"" + sinkName + "\",task=\"0\"");
        Prober ackProber = new Prober(() -> {
            try {
                return (Long) ackJmx.getMBeanServerConnection().getAttribute(sinkTask, "DocumentsIndexed");
            } catch (Exception e) {
                throw new IllegalStateException("cannot read DocumentsIndexed of " + sinkName, e);
            }
        });
        Thread ackProbing = new Thread(ackProber, "ack-prober");
        ackProbing.start();
        writer.run();
        // The prober itself must have counted every row: a count seen here alone may come after its last probe.
        Await.until(Duration.ofMinutes(3), "the prober to count every row searchable in " + index,
                () -> prober.last() >= writer.rows() + 1);
        prober.stop();
        probing.join();
        Await.until(Duration.ofMinutes(1), "the topic prober to count every row", () -> topicProber.last() >= writer.rows() + 1);
        topicProber.stop();
        topicProbing.join();
        topicAdmin.close();
        Await.until(Duration.ofMinutes(1), "the acknowledgement prober to count every row", () -> ackProber.last() >= writer.rows() + 1);
        ackProber.stop();
        ackProbing.join();

        Map<String, Long> sinkHistogram = new HashMap<>();
        try (JMXConnector jmx = ackJmx) {
            for (String attribute : List.of("FreshnessP50Ms", "FreshnessP99Ms", "FreshnessMaxMs")) {
                sinkHistogram.put(attribute, (Long) jmx.getMBeanServerConnection().getAttribute(sinkTask, attribute));
            }
        }
        worker.delete(sourceName);
        worker.delete(sinkName);
        return Freshness.measure(format, writer, prober, topicProber, ackProber, sinkHistogram, 5);
    }

    // ----------------------------------------------------------------------------------------------- plumbing

    private Map<String, String> source(String prefix, String table, int partitions) {
        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, kafka.bootstrapServers(), prefix, DB, partitions);
        config.put("table.include.list", table);
        config.put("transforms", "normalize");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        // As the shipped source configs: batches of up to 256 KiB per partition. Connect's producer has one request in
        // flight per broker, so with Kafka's 16 KiB default a JSON-with-schemas topic gets ~7 events per round trip.
        config.put("producer.override.batch.size", "262144");
        // As the shipped source configs: Debezium hands over what it has every 10 ms, not every 500 ms (its default),
        // which alone kept a change about 0.45 s before the topic at 5,000 rows/s.
        config.put("poll.interval.ms", Integer.toString(SOURCE_POLL_MS));
        return config;
    }

    private Map<String, String> sink(String topic) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics", topic);
        config.put("connection.url", es.url());
        config.put("index.replicas", "0");
        // As the shipped config (connect-configs/elasticsearch-sink.json): the sink reads no headers, so they stay bytes.
        config.put("header.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        // For exploring settings: -Dbench.es.sink="max.in.flight.requests=2,max.buffered.records=8000"
        for (String setting : System.getProperty("bench.es.sink", "").split(",")) {
            if (!setting.isBlank()) {
                config.put(setting.substring(0, setting.indexOf('=')).trim(), setting.substring(setting.indexOf('=') + 1).trim());
            }
        }
        return config;
    }

    /** The sum of the end offsets of every partition of {@code topic}, 0 before it exists. */
    private long endOffset(String topic) {
        try (Admin admin = kafka.createAdminClient()) {
            if (!admin.listTopics().names().get().contains(topic)) {
                return 0;
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            long sum = 0;
            for (var offset : admin.listOffsets(latest).all().get().values()) {
                sum += offset.offset();
            }
            return sum;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    private long count(String index) {
        if (es.status("/" + index) != 200) {
            return 0;
        }
        try {
            JsonNode body = JSON.readTree(es.request("GET", "/" + index + "/_count", null));
            return body.path("count").asLong();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
