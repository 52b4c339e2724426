package io.cdcmesh.sink.elasticsearch;

import static io.cdcmesh.sink.elasticsearch.Events.ROW_V1;
import static io.cdcmesh.sink.elasticsearch.Events.ROW_V2;
import static io.cdcmesh.sink.elasticsearch.Events.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.RecordingSinkContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink task, driven directly, against a real Elasticsearch node. */
@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchSinkTaskIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TopicPartition PARTITION = new TopicPartition(Events.TOPIC, 0);

    private final List<ElasticsearchSinkTask> started = new ArrayList<>();

    @AfterEach
    void stopTasks() {
        started.forEach(ElasticsearchSinkTask::stop);
    }

    private ElasticsearchSinkTask task(ElasticsearchServer es, RecordingSinkContext context, String index, Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "es-sink-it");
        props.put("connection.url", es.url());
        props.put("topic.index.map", Events.TOPIC + ":" + index);
        props.put("index.replicas", "0");
        props.put("linger.ms", "5");
        props.putAll(extra);
        ElasticsearchSinkTask task = new ElasticsearchSinkTask();
        task.initialize(context);
        task.start(props);
        started.add(task);
        return task;
    }

    /** Puts the records and waits until preCommit says Elasticsearch acknowledged all of them. */
    private static void deliver(ElasticsearchSinkTask task, List<SinkRecord> records) {
        task.put(records);
        long last = records.stream().mapToLong(SinkRecord::kafkaOffset).max().orElse(-1);
        TaskAcks.awaitCommittable(task, last + 1, Duration.ofSeconds(60));
    }


    /** Each title's history: created, its launch date moved several times, some deleted, some created again. */
    private static List<SinkRecord> history(Events events) {
        List<SinkRecord> records = new ArrayList<>();
        long position = 1_000;
        for (int id = 1; id <= 60; id++) {
            Struct current = title(ROW_V1, id, "Title " + id, 20_270, "1000000.00");
            records.add(events.event("CREATE", null, current, position += 10));
            for (int move = 1; move <= 3; move++) {
                Struct next = title(ROW_V1, id, "Title " + id, 20_270 - 30 * move * (id % 2 == 0 ? 1 : -1), "1000000.00");
                records.add(events.event("UPDATE", current, next, position += 10));
                current = next;
            }
            if (id % 3 == 0) {
                records.add(events.event("DELETE", current, null, position += 10));
                if (id % 6 == 0) {
                    current = title(ROW_V1, id, "Title " + id + " (again)", 20_300, "2.50");
                    records.add(events.event("CREATE", null, current, position += 10));
                }
            }
        }
        return records;
    }

    @Test
    void outOfOrderAndDuplicatedDeliveryLeavesExactlyTheInOrderState(ElasticsearchServer es) throws Exception {
        Events events = new Events();
        List<SinkRecord> inOrder = history(events);

        ElasticsearchSinkTask ordered = task(es, new RecordingSinkContext(PARTITION), "titles-in-order", Map.of());
        deliver(ordered, inOrder);

        List<SinkRecord> scrambled = new ArrayList<>();
        for (SinkRecord record : inOrder) {
            scrambled.add(events.again(record));
            scrambled.add(events.again(record));
        }
        Collections.reverse(scrambled);
        Collections.shuffle(scrambled.subList(0, scrambled.size() / 2), new Random(42));
        List<SinkRecord> renumbered = new ArrayList<>();
        for (SinkRecord record : scrambled) {
            renumbered.add(events.again(record));
        }
        ElasticsearchSinkTask reversed = task(es, new RecordingSinkContext(PARTITION), "titles-reordered", Map.of("batch.size", "37"));
        deliver(reversed, renumbered);

        Map<String, JsonNode> expected = new TreeMap<>();
        for (SinkRecord record : inOrder) {
            Struct value = (Struct) record.value();
            if ("DELETE".equals(value.getString("type"))) {
                expected.remove(value.getString("id"));
            } else {
                expected.put(value.getString("id"), null);
            }
        }
        Map<String, JsonNode> a = documents(es, "titles-in-order");
        Map<String, JsonNode> b = documents(es, "titles-reordered");
        assertThat(a.keySet()).isEqualTo(expected.keySet()).hasSize(50);
        assertThat(b).isEqualTo(a);
        assertThat(a.get("6").get("title").asText()).isEqualTo("Title 6 (again)");
        assertThat(a.get("2").get("launch_date").asText()).isEqualTo("2025-04-02");
        assertThat(a.get("2").get("budget").decimalValue()).isEqualByComparingTo("1000000.00");
        assertThat(reversed.metrics().staleSkipped()).as("older versions refused by Elasticsearch").isPositive();
        assertThat(ordered.metrics().staleSkipped()).isZero();
    }

    @Test
    void elasticsearchDownForAWhileLosesNothingAndBackpressurePausesThePartitions(ElasticsearchServer es) throws Exception {
        Events events = new Events();
        RecordingSinkContext context = new RecordingSinkContext(PARTITION);
        ElasticsearchSinkTask task = task(es, context, "titles-outage",
                Map.of("max.buffered.records", "40", "batch.size", "10", "retry.backoff.ms", "50", "retry.backoff.max.ms", "500"));
        List<SinkRecord> before = new ArrayList<>();
        for (int id = 1; id <= 20; id++) {
            before.add(events.event("CREATE", null, title(ROW_V1, id, "T" + id, 20_000, null), 100 + id));
        }
        deliver(task, before);

        es.stop();
        try {
            List<SinkRecord> during = new ArrayList<>();
            for (int id = 21; id <= 80; id++) {
                during.add(events.event("CREATE", null, title(ROW_V1, id, "T" + id, 20_000, null), 100 + id));
            }
            task.put(during);
            assertThat(context.paused).as("paused: more unacknowledged records than max.buffered.records").contains(PARTITION);
            // A paused consumer's poll would otherwise block until the next offset commit: the task asks for a put soon.
            assertThat(context.timeout).as("poll timeout asked for while paused")
                    .isBetween(1L, ElasticsearchSinkTask.PAUSED_POLL_MS);
            Await.until(Duration.ofSeconds(30), "retries while Elasticsearch is down", () -> task.metrics().retries() >= 3);
            OffsetAndMetadata committable = task.preCommit(Map.of(PARTITION, new OffsetAndMetadata(80))).get(PARTITION);
            assertThat(committable.offset()).as("nothing past what Elasticsearch acknowledged").isEqualTo(20);
        } finally {
            es.start();
        }
        TaskAcks.awaitCommittable(task, 80, Duration.ofSeconds(90));
        assertThat(context.paused).as("resumed once writes caught up").isEmpty();
        assertThat(documents(es, "titles-outage")).hasSize(80);
    }

    @Test
    void aBatchWaitingForLingerAsksConnectToPutAgainWhenItIsDue(ElasticsearchServer es) throws Exception {
        Events events = new Events();
        RecordingSinkContext context = new RecordingSinkContext(PARTITION);
        ElasticsearchSinkTask task = task(es, context, "titles-linger", Map.of("linger.ms", "400", "batch.size", "100"));
        List<SinkRecord> three = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            three.add(events.event("CREATE", null, title(ROW_V1, id, "T" + id, 20_000, null), 100 + id));
        }
        long started = System.nanoTime();
        task.put(three);
        assertThat(context.timeout).as("the next put is asked for by the time the batch is due").isBetween(1L, 400L);
        assertThat(task.metrics().indexed()).as("not sent before linger.ms").isZero();
        // What Connect does: poll for at most the timeout asked for, then put whatever came (here nothing).
        Await.until(Duration.ofSeconds(10), "the batch sent once due", () -> {
            task.put(List.of());
            return task.metrics().indexed() == 3;
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
        context.timeout = -1;
        task.put(List.of());
        assertThat(context.timeout).as("nothing waiting, nothing asked").isEqualTo(-1L);
    }

    @Test
    void documentsElasticsearchRefusesGoToTheDeadLetterQueueAndTheRestIsIndexed(ElasticsearchServer es) throws Exception {
        Events events = new Events();
        RecordingSinkContext context = new RecordingSinkContext(PARTITION);
        ElasticsearchSinkTask task = task(es, context, "titles-dlq", Map.of());
        Schema budgetAsText = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA).field("title", Schema.OPTIONAL_STRING_SCHEMA)
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("budget", Schema.OPTIONAL_STRING_SCHEMA).build();
        SinkRecord notAnEvent = new SinkRecord(Events.TOPIC, 0, null, null, Schema.STRING_SCHEMA, "plain text", 99);
        List<SinkRecord> records = List.of(
                events.event("CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "10.00"), 10),
                events.event("CREATE", null, new Struct(budgetAsText).put("id", 2).put("title", "Bad").put("budget", "lots"), 11),
                events.event("CREATE", null, title(ROW_V1, 3, "Lighthouse", 20_001, "5.00"), 12));
        deliver(task, records);
        task.put(List.of(notAnEvent));

        assertThat(context.reported()).hasSize(2);
        assertThat(context.reported().get(0).getKey().kafkaOffset()).isEqualTo(1);
        assertThat(context.reported().get(0).getValue().getMessage()).contains("titles-dlq").contains("budget");
        assertThat(context.reported().get(1).getKey()).isSameAs(notAnEvent);
        assertThat(context.reported().get(1).getValue().getMessage()).contains("not a cdc-mesh change event");
        assertThat(documents(es, "titles-dlq")).containsOnlyKeys("1", "3");
        assertThat(task.metrics().malformed()).isEqualTo(1);
    }

    @Test
    void extremeValuesAreIndexedAndAnUnwritableOneGoesAloneToTheDeadLetterQueueNamingItsColumn(ElasticsearchServer es)
            throws Exception {
        Events events = new Events();
        RecordingSinkContext context = new RecordingSinkContext(PARTITION);
        ElasticsearchSinkTask task = task(es, context, "titles-extremes", Map.of());
        Schema row = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("runtime", SchemaBuilder.int64().name("io.debezium.time.MicroTime").optional().build())
                .field("premiere", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build()).build();
        long maxTime = (838L * 3_600 + 59 * 60 + 59) * 1_000_000L;
        long year1000 = -30_610_224_000L * 1_000_000L;
        // A schema naming a type its value does not have: the document cannot be written.
        Schema lying = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("runtime", SchemaBuilder.string().name("io.debezium.time.MicroTime").optional().build()).build();
        List<SinkRecord> records = List.of(
                events.event("CREATE", null, new Struct(row).put("id", 1).put("runtime", maxTime).put("premiere", year1000), 10),
                events.event("CREATE", null, new Struct(row).put("id", 2).put("runtime", -maxTime - 999_999), 11),
                events.event("CREATE", null, new Struct(lying).put("id", 3).put("runtime", "ROW-SENTINEL"), 12),
                events.event("DELETE", new Struct(row).put("id", 4), null, 13),
                events.event("CREATE", null, new Struct(row).put("id", 5).put("runtime", 0L), 14));
        deliver(task, records);

        assertThat(context.reported()).as("only the unwritable record").hasSize(1);
        assertThat(context.reported().get(0).getKey().kafkaOffset()).isEqualTo(2);
        assertThat(context.reported().get(0).getValue().getMessage()).contains("column 'runtime'")
                .doesNotContain("ROW-SENTINEL");
        Map<String, JsonNode> docs = documents(es, "titles-extremes");
        assertThat(docs).containsOnlyKeys("1", "2", "5");
        assertThat(docs.get("1").get("runtime").asText()).isEqualTo("838:59:59");
        assertThat(docs.get("1").get("premiere").asText()).isEqualTo("1000-01-01T00:00");
        assertThat(docs.get("2").get("runtime").asText()).isEqualTo("-838:59:59.999999");
        assertThat(task.metrics().malformed()).as("the delete of a document never indexed is no error").isEqualTo(1);
        assertThat(task.metrics().retries()).isZero();
        // The delete's version is kept: an older write of that document is refused as stale.
        deliver(task, List.of(events.event("CREATE", null, new Struct(row).put("id", 4), 12)));
        assertThat(documents(es, "titles-extremes")).doesNotContainKey("4");
    }

    @Test
    void malformedDocumentsSetToFailStopTheTaskInsteadOfRetrying(ElasticsearchServer es) {
        Events events = new Events();
        ElasticsearchSinkTask task = task(es, new RecordingSinkContext(PARTITION), "titles-fail",
                Map.of("behavior.on.malformed.documents", "fail"));
        deliver(task, List.of(events.event("CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "10.00"), 10)));
        Schema budgetAsText = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA).field("budget", Schema.OPTIONAL_STRING_SCHEMA).build();
        task.put(List.of(events.event("CREATE", null, new Struct(budgetAsText).put("id", 2).put("budget", "lots"), 11)));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Await.until(Duration.ofSeconds(30), "the task to fail", () -> {
            try {
                task.put(List.of());
                task.preCommit(Map.of(PARTITION, new OffsetAndMetadata(2)));
                return false;
            } catch (org.apache.kafka.connect.errors.ConnectException e) {
                failure.set(e);
                return true;
            }
        });
        assertThat(failure.get()).hasMessageContaining("Cannot index the record").hasMessageContaining("budget");
        assertThat(task.metrics().retries()).as("a refusal retrying cannot fix is never retried").isZero();
    }

    @Test
    void anIndexHoldsOneTablesDocumentsAndAnotherTablesChangesToItAreDeadLettered(ElasticsearchServer es) throws Exception {
        Events events = new Events();
        RecordingSinkContext context = new RecordingSinkContext(PARTITION);
        // As two tables whose names differ only in case would: both go to one index.
        ElasticsearchSinkTask task = task(es, context, "titles-owned", Map.of());
        deliver(task, List.of(events.event("film.titles", "CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "1.00"), 10),
                events.event("film.Titles", "CREATE", null, title(ROW_V1, 1, "Other table, same id", 20_000, "2.00"), 11),
                events.event("film.Titles", "DELETE", title(ROW_V1, 1, "Other table, same id", 20_000, "2.00"), null, 12)));
        assertThat(documents(es, "titles-owned").get("1").get("title").asText()).isEqualTo("Orbit");
        assertThat(context.reported()).hasSize(2).allSatisfy(r -> assertThat(r.getValue().getMessage())
                .contains("holds the documents of table film.titles").contains("film.Titles"));

        // Ids namespaced by table: both tables' rows with the same key live side by side in a shared index.
        ElasticsearchSinkTask shared = task(es, new RecordingSinkContext(PARTITION), "titles-shared",
                Map.of("document.id.namespace", "entity"));
        deliver(shared, List.of(events.event("film.titles", "CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "1.00"), 10),
                events.event("film.Titles", "CREATE", null, title(ROW_V1, 1, "Other", 20_000, "2.00"), 11)));
        assertThat(documents(es, "titles-shared")).containsOnlyKeys("film.titles|1", "film.Titles|1");
        // A connector with plain ids is refused by the shared index, and one with namespaced ids by an owned one.
        RecordingSinkContext plainContext = new RecordingSinkContext(PARTITION);
        ElasticsearchSinkTask plain = task(es, plainContext, "titles-shared", Map.of());
        deliver(plain, List.of(events.event("film.titles", "CREATE", null, title(ROW_V1, 2, "Plain", 20_000, "1.00"), 12)));
        assertThat(plainContext.reported()).hasSize(1);
        assertThat(plainContext.reported().get(0).getValue().getMessage()).contains("document.id.namespace=entity");
    }

    @Test
    void columnAddedAtTheSourceIsMappedAndSearchableWithoutARestart(ElasticsearchServer es) throws Exception {
        Events events = new Events();
        ElasticsearchSinkTask task = task(es, new RecordingSinkContext(PARTITION), "titles-schema", Map.of());
        deliver(task, List.of(events.event("CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "1.00"), 10)));
        Struct withRating = title(ROW_V2, 2, "Undertow", 20_001, "2.00").put("rating", 8.5);
        deliver(task, List.of(events.event("CREATE", null, withRating, 11)));

        JsonNode mapping = JSON.readTree(es.request("GET", "/titles-schema/_mapping", null));
        JsonNode properties = mapping.path("titles-schema").path("mappings").path("properties");
        assertThat(properties.path("rating").path("type").asText()).isEqualTo("double");
        assertThat(properties.path("launch_date").path("type").asText()).isEqualTo("date");
        assertThat(properties.path("budget").path("type").asText()).isEqualTo("double");
        es.request("POST", "/titles-schema/_refresh", null);
        JsonNode hits = JSON.readTree(es.request("POST", "/titles-schema/_search",
                "{\"query\":{\"range\":{\"rating\":{\"gt\":8}}}}")).path("hits").path("hits");
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).path("_id").asText()).isEqualTo("2");
    }

    static Map<String, JsonNode> documents(ElasticsearchServer es, String index) throws Exception {
        es.request("POST", "/" + index + "/_refresh", null);
        JsonNode hits = JSON.readTree(es.request("POST", "/" + index + "/_search?size=10000",
                "{\"query\":{\"match_all\":{}}}")).path("hits").path("hits");
        Map<String, JsonNode> docs = new TreeMap<>();
        for (JsonNode hit : hits) {
            docs.put(hit.path("_id").asText(), hit.path("_source"));
        }
        return docs;
    }
}
