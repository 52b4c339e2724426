package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectStack;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The built transforms plugin archive, loaded by a real Kafka Connect worker (with a real broker) next to
 * Debezium's MySQL connector archive, normalizes and filters the changes of a real MySQL 8.
 */
@ExtendWith(MySqlExtension.class)
class TransformsInConnectWorkerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "connect_it";
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void debeziumWithNormalizeAndFilterFromThePluginArchiveWritesNormalizedEvents(MySqlServer mysql) throws Exception {
        assertThatThrownBy(() -> Class.forName("io.cdcmesh.transforms.NormalizeChangeEvent"))
                .as("the plugin must come from plugin.path, not the test classpath")
                .isInstanceOf(ClassNotFoundException.class);

        mysql.recreateDatabase(DB);
        mysql.execute(DB,
                "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), launch_date DATE)",
                "CREATE TABLE credits (title_id INT, person VARCHAR(64), PRIMARY KEY (title_id, person))",
                "INSERT INTO titles VALUES (1, 'Orbit', '2027-07-01'), (2, 'Undertow', '2027-03-01')",
                "INSERT INTO credits VALUES (1, 'ada')");

        connect = ConnectWorkers.start("transforms-it");
        String version = ConnectStack.version();
        assertThat(ConnectWorkers.plugins(connect)).contains(
                Map.entry("io.cdcmesh.transforms.NormalizeChangeEvent", version),
                Map.entry("io.cdcmesh.transforms.FilterChangeEvent", version),
                Map.entry("io.cdcmesh.transforms.DropDuplicates", version),
                Map.entry("io.cdcmesh.transforms.predicates.ChangeTypeIs", version));

        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, connect.kafka().bootstrapServers(), "studio", DB, 1);
        config.put("transforms", "normalize,launchMoves,dedupe,markDeletes");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        config.put("transforms.launchMoves.type", "io.cdcmesh.transforms.FilterChangeEvent");
        config.put("transforms.launchMoves.condition", "type != 'UPDATE' || before.launch_date != after.launch_date");
        config.put("transforms.dedupe.type", "io.cdcmesh.transforms.DropDuplicates");
        config.put("transforms.markDeletes.type", "org.apache.kafka.connect.transforms.InsertHeader");
        config.put("transforms.markDeletes.header", "deleted");
        config.put("transforms.markDeletes.value.literal", "true");
        config.put("transforms.markDeletes.predicate", "isDelete");
        config.put("predicates", "isDelete");
        config.put("predicates.isDelete.type", "io.cdcmesh.transforms.predicates.ChangeTypeIs");
        config.put("predicates.isDelete.types", "DELETE");
        connect.configureConnector("studio-source", config);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("studio-source", 1, "source did not start");

        String titles = "studio." + DB + ".titles";
        connect.kafka().consume(2, 60_000, titles);
        mysql.execute(DB,
                "INSERT INTO titles VALUES (3, 'Lighthouse', '2027-09-01')",
                "UPDATE titles SET name = 'Orbit (2027)' WHERE id = 1",
                "UPDATE titles SET launch_date = '2027-06-01' WHERE id = 1",
                "UPDATE titles SET launch_date = '2027-07-01' WHERE id = 1",
                "DELETE FROM titles WHERE id = 2",
                "INSERT INTO credits VALUES (1, 'a|b')");
        connect.kafka().consume(6, 60_000, titles);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        connect.kafka().consumeAll(30_000, titles).forEach(records::add);

        List<JsonNode> events = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode value = JSON.readTree(record.value());
            assertThat(value.path("schema").path("name").asText()).isEqualTo("studio." + DB + ".titles.ChangeEvent");
            JsonNode event = value.get("payload");
            events.add(event);
            assertThat(ConnectWorkers.header(record, "cdc.type")).isEqualTo(event.get("type").asText());
            assertThat(ConnectWorkers.header(record, "cdc.uuid")).isEqualTo(event.get("uuid").asText());
            assertThat(ConnectWorkers.header(record, "cdc.position")).isEqualTo(event.get("position").asText());
            assertThat(ConnectWorkers.header(record, "deleted")).isEqualTo("DELETE".equals(event.get("type").asText()) ? "true" : null);
            assertThat(JSON.readTree(record.key()).path("payload").path("id").asText()).isEqualTo(event.get("id").asText());
        }

        assertThat(events).extracting(e -> e.get("type").asText() + " " + e.get("id").asText())
                .as("the name-only update is filtered out; the launch moves July -> June -> July are kept")
                .containsExactly("READ 1", "READ 2", "CREATE 3", "UPDATE 1", "UPDATE 1", "DELETE 2");
        assertThat(events).allSatisfy(e -> assertThat(e.get("entity").asText()).isEqualTo(DB + ".titles"));
        assertThat(events.get(3).path("after").path("launch_date").asInt())
                .isLessThan(events.get(3).path("before").path("launch_date").asInt());
        assertThat(events.get(5).path("after").isNull()).isTrue();
        assertThat(new HashSet<>(events.stream().map(e -> e.get("uuid").asText()).toList())).hasSize(events.size());
        List<Long> streamed = events.subList(2, events.size()).stream().map(e -> e.get("position").asLong()).toList();
        assertThat(streamed).isSorted().doesNotHaveDuplicates();
        assertThat(streamed.get(0)).isGreaterThan(events.get(0).get("position").asLong());
        assertThat(events.get(0).get("ts").asLong()).isPositive();

        List<String> creditIds = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> record : connect.kafka().consume(2, 60_000, "studio." + DB + ".credits")) {
            creditIds.add(JSON.readTree(record.value()).path("payload").path("id").asText());
        }
        assertThat(creditIds).containsExactly("ada|1", "a\\|b|1");
    }

}
