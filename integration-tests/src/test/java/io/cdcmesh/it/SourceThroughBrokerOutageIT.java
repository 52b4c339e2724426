package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, point 5: the worker's broker stops for 60 s under a steady workload, and a table whose topic does not
 * exist yet gets its first change meanwhile. The worker loses its group while the broker is away and restarts the
 * source task when it returns, which replays every change not yet committed through the transform chain again (as
 * Connect also does for a record it could not send). NormalizeChangeEvent keeps no state between records, so the
 * task recovers by itself and a replayed change is the same event, uuid and all: every change arrives under exactly
 * one uuid, in commit order per row. Whether the worker keeps its group through the outage depends on timing; when it
 * does not, its tasks come back only after {@code scheduled.rebalance.max.delay.ms}, which the test kit's one worker
 * sets to 0 (as the Docker stack's does; connect-configs README, "Broker outages").
 */
@ExtendWith(MySqlExtension.class)
class SourceThroughBrokerOutageIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "outage_it";
    private static final String CONNECTOR = "outage-source";
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void theSourceRecoversByItselfAndEveryChangeKeepsItsUuid(MySqlServer mysql) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE orders (id INT PRIMARY KEY, total INT)", "INSERT INTO orders VALUES (0, 0)",
                "CREATE TABLE refunds (id INT PRIMARY KEY, amount INT)");
        connect = ConnectWorkers.start("outage-it");
        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, connect.kafka().bootstrapServers(), "outage", DB, 1);
        config.put("transforms", "normalize");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        connect.configureConnector(CONNECTOR, config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "the source did not start");
        String topic = "outage." + DB + ".orders";
        connect.kafka().consume(1, 60_000, topic);

        // The workload: one order every 30 ms, its INSERT then its UPDATE, in the background.
        AtomicInteger rows = new AtomicInteger();
        ScheduledExecutorService workload = Executors.newSingleThreadScheduledExecutor();
        Future<?> writing = workload.scheduleAtFixedRate(() -> {
            int id = rows.incrementAndGet();
            mysql.execute(DB, "INSERT INTO orders VALUES (" + id + ", 0)", "UPDATE orders SET total = 1 WHERE id = " + id);
        }, 0, 30, TimeUnit.MILLISECONDS);
        try {
            Await.until(Duration.ofSeconds(60), "changes flowing before the outage", () -> rows.get() >= 100);
            connect.kafka().stopOnlyBrokers();
            long stopped = System.nanoTime();
            Await.until(Duration.ofSeconds(30), "changes while the broker is away", () -> rows.get() >= 200);
            // Its topic is made with its first record, which cannot happen now.
            mysql.execute(DB, "INSERT INTO refunds VALUES (1, 5)", "UPDATE refunds SET amount = 6 WHERE id = 1");
            Await.until(Duration.ofSeconds(90), "60 s of outage", () -> System.nanoTime() - stopped >= 60_000_000_000L);
            connect.kafka().restartOnlyBrokers();
            int atReturn = rows.get();
            Await.until(Duration.ofSeconds(60), "changes after the outage", () -> rows.get() >= atReturn + 100);
        } finally {
            workload.shutdown();
            assertThat(workload.awaitTermination(30, TimeUnit.SECONDS)).as("the workload stopped").isTrue();
        }
        assertThat(writing).as("the workload wrote without failing until it was stopped").isCancelled();
        int written = rows.get();

        // Every row: its CREATE and its UPDATE, each under one uuid; a copy Debezium may replay after a rebalance is
        // the same event.
        Map<String, JsonNode> byUuid;
        try {
            byUuid = Await.value(Duration.ofSeconds(180), "every change of the " + written + " rows in " + topic,
                    () -> events(topic), found -> found.size() >= 1 + 2 * written);
        } catch (AssertionError late) {
            throw new AssertionError(late.getMessage() + "; " + missing(events(topic), written) + "; " + status(), late);
        }
        Map<String, Map<String, JsonNode>> byIdAndType = new HashMap<>();
        for (JsonNode event : byUuid.values()) {
            JsonNode earlier = byIdAndType.computeIfAbsent(event.get("id").asText(), k -> new HashMap<>())
                    .put(event.get("type").asText(), event);
            assertThat(earlier).as("one uuid per change of order %s", event.get("id").asText()).isNull();
        }
        assertThat(byUuid).hasSize(1 + 2 * written);
        for (int id = 1; id <= written; id++) {
            Map<String, JsonNode> changes = byIdAndType.get(Integer.toString(id));
            assertThat(changes).as("order %d", id).containsOnlyKeys("CREATE", "UPDATE");
            assertThat(changes.get("UPDATE").get("position").asLong()).as("order %d in commit order", id)
                    .isGreaterThan(changes.get("CREATE").get("position").asLong());
        }
        Map<String, JsonNode> refunds = Await.value(Duration.ofSeconds(120), "the refund's two changes",
                () -> events("outage." + DB + ".refunds"), found -> found.size() >= 2);
        assertThat(refunds.values()).extracting(e -> e.get("type").asText()).containsExactly("CREATE", "UPDATE");
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning(CONNECTOR, 1, "the source did not recover by itself");
    }

    /** Which changes are not in the topic: how many, the first few, and the highest row seen, to tell lost from late. */
    private static String missing(Map<String, JsonNode> byUuid, int written) {
        Set<String> seen = new HashSet<>();
        int highest = 0;
        for (JsonNode event : byUuid.values()) {
            seen.add(event.get("id").asText() + "/" + event.get("type").asText());
            highest = Math.max(highest, event.get("id").asInt());
        }
        List<String> absent = new ArrayList<>();
        for (int id = 1; id <= written; id++) {
            for (String type : List.of("CREATE", "UPDATE")) {
                if (!seen.contains(id + "/" + type)) {
                    absent.add(id + "/" + type);
                }
            }
        }
        return byUuid.size() + " events found, " + absent.size() + " changes missing (first "
                + absent.subList(0, Math.min(10, absent.size())) + "), highest row seen " + highest;
    }

    private String status() {
        var info = connect.connectorStatus(CONNECTOR);
        StringBuilder text = new StringBuilder("connector " + info.connector().state());
        info.tasks().forEach(task -> text.append(", task ").append(task.id()).append(' ').append(task.state())
                .append(task.trace() == null ? "" : " " + task.trace()));
        return text.toString();
    }

    /** The events in the topic by uuid; a uuid seen twice must carry the same event. */
    private Map<String, JsonNode> events(String topic) {
        Map<String, JsonNode> byUuid = new LinkedHashMap<>();
        org.apache.kafka.clients.consumer.ConsumerRecords<byte[], byte[]> records;
        try {
            records = connect.kafka().consumeAll(30_000, topic);
        } catch (Exception e) {
            throw new IllegalStateException("reading " + topic + ": " + e.getMessage(), e);
        }
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                JsonNode event = JSON.readTree(record.value()).get("payload");
                JsonNode earlier = byUuid.put(event.get("uuid").asText(), event);
                assertThat(earlier == null || earlier.equals(event)).as("a replayed copy of %s is the same event", event.get("uuid"))
                        .isTrue();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return byUuid;
    }
}
