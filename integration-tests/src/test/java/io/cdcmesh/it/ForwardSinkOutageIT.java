package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forward sink in a real Connect worker, filtering a three-partition topic of change events into a topic of
 * another cluster, whose broker is stopped for a while mid-stream: the task stays RUNNING, retries, and once the
 * broker is back every event its filter keeps is in the target topic (each key on one partition), whichever
 * partition it came from and however the worker assigned them.
 */
class ForwardSinkOutageIT {
    private static final String SOURCE_TOPIC = "events.outage";
    private static final String TARGET_TOPIC = "filtered.outage";

    private final Closer closer = new Closer();
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
        closer.close();
    }

    @Test
    void everyFilteredEventArrivesAfterTheTargetBrokerWasDownMidStream() throws Exception {
        EmbeddedKafkaCluster target = closer.broker();
        target.createTopic(TARGET_TOPIC, 2);
        connect = ConnectWorkers.start("forward-outage");
        connect.kafka().createTopic(SOURCE_TOPIC, 3);

        Map<String, String> sink = new HashMap<>();
        // The connector's name before it moved to io.cdcmesh.connectors.forward: configs written for it keep working.
        sink.put("connector.class", "io.cdcmesh.connectors.TopicForwardSinkConnector");
        sink.put("tasks.max", "2");
        sink.put("topics", SOURCE_TOPIC);
        sink.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("value.converter.schemas.enable", "false");
        sink.put("target.topic", TARGET_TOPIC);
        sink.put("target.bootstrap.servers", target.bootstrapServers());
        sink.put("target.key.converter", "org.apache.kafka.connect.storage.StringConverter");
        sink.put("target.value.converter.schemas.enable", "false");
        // Fail fast while the broker is down, so that the outage is retried several times.
        sink.put("target.producer.delivery.timeout.ms", "3000");
        sink.put("target.producer.request.timeout.ms", "1000");
        sink.put("target.producer.max.block.ms", "1000");
        sink.put("retry.backoff.ms", "200");
        sink.put("retry.backoff.max.ms", "1000");
        sink.put("transforms", "updatesOnly");
        sink.put("transforms.updatesOnly.type", "io.cdcmesh.transforms.FilterChangeEvent");
        sink.put("transforms.updatesOnly.condition", "type == 'UPDATE'");
        connect.configureConnector("forward", sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("forward", 2, "the forward sink did not start");

        Set<String> kept = new TreeSet<>();
        produce(0, 300, kept);
        Await.until(Duration.ofSeconds(60), "the first events in the target topic", () -> !keys(target).isEmpty());

        target.stopOnlyBrokers();
        produce(300, 600, kept);
        Await.until(Duration.ofSeconds(90), "the forward tasks to retry while the target broker is down", () -> retries() >= 1);
        assertThat(taskStates()).as("tasks while the target is down").containsOnly("RUNNING");
        target.restartOnlyBrokers();
        produce(600, 900, kept);

        Map<String, Set<Integer>> partitionsByKey = Await.value(Duration.ofSeconds(120), "every kept event in " + TARGET_TOPIC,
                () -> keys(target), found -> found.keySet().containsAll(kept));
        assertThat(partitionsByKey.keySet()).as("keys in the target topic").isEqualTo(kept);
        assertThat(partitionsByKey.values()).as("partitions per key").allSatisfy(p -> assertThat(p).hasSize(1));
        assertThat(taskStates()).containsOnly("RUNNING");
    }

    /** Events {@code from..to-1} into the source topic's three partitions in turn; every third is an UPDATE. */
    private void produce(int from, int to, Set<String> kept) {
        for (int n = from; n < to; n++) {
            String type = n % 3 == 0 ? "UPDATE" : "CREATE";
            String key = "e" + n;
            String value = "{\"uuid\":\"u-" + n + "\",\"type\":\"" + type + "\",\"ts\":" + System.currentTimeMillis()
                    + ",\"entity\":\"shop.orders\",\"id\":\"" + n + "\",\"position\":" + n + ",\"before\":null,\"after\":{\"id\":" + n + "}}";
            connect.kafka().produce(SOURCE_TOPIC, n % 3, key, value);
            if (type.equals("UPDATE")) {
                kept.add(key);
            }
        }
    }

    /** The keys in the target topic, with the partitions each was written to. */
    private static Map<String, Set<Integer>> keys(EmbeddedKafkaCluster target) {
        return StudioPipeline.read(target.bootstrapServers(), TARGET_TOPIC).stream().collect(Collectors.groupingBy(
                r -> new String(r.key(), StandardCharsets.UTF_8), Collectors.mapping(r -> r.partition(), Collectors.toSet())));
    }

    /** Retries of both forward tasks, from their JMX metrics (the worker runs in this JVM). */
    private static long retries() {
        long retries = 0;
        for (String task : List.of("0", "1")) {
            try {
                retries += (Long) ManagementFactory.getPlatformMBeanServer().getAttribute(new ObjectName(
                        "io.cdcmesh:type=forward-sink-task,connector=\"forward\",task=\"" + task + "\""), "Retries");
            } catch (Exception e) {
                throw new IllegalStateException("No metrics of forward task " + task + " yet", e);
            }
        }
        return retries;
    }

    private List<String> taskStates() {
        return connect.connectorStatus("forward").tasks().stream().map(t -> t.state()).toList();
    }
}
