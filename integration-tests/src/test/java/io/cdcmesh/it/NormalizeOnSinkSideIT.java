package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * NormalizeChangeEvent in a sink connector's chain, on raw Debezium topics written with the JSON converter
 * without schemas: rows of a table without a primary key are rejected with a DataException naming the table,
 * and Connect's dead-letter queue keeps them while the other records flow on.
 */
@ExtendWith(MySqlExtension.class)
class NormalizeOnSinkSideIT {
    private static final String DB = "sink_side_it";
    private EmbeddedConnectCluster connect;

    @AfterEach
    void stop() {
        if (connect != null) {
            connect.stop();
        }
    }

    @Test
    void keylessTableLandsInTheDeadLetterQueueWithTheReasonAndOtherRecordsAreNormalized(MySqlServer mysql) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB,
                "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100))",
                "CREATE TABLE play_log (event_id VARCHAR(36), minutes INT)",
                "INSERT INTO titles VALUES (1, 'Orbit')",
                "INSERT INTO play_log VALUES ('e-1', 90)");
        connect = ConnectWorkers.start("sink-side-it");

        Map<String, String> source = ConnectWorkers.debeziumMySqlSource(mysql, connect.kafka().bootstrapServers(), "raw", DB, 1);
        source.put("key.converter.schemas.enable", "false");
        source.put("value.converter.schemas.enable", "false");
        connect.configureConnector("raw-source", source);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("raw-source", 1, "source did not start");
        String titles = "raw." + DB + ".titles";
        String playLog = "raw." + DB + ".play_log";
        connect.kafka().consume(1, 60_000, titles);
        connect.kafka().consume(1, 60_000, playLog);
        mysql.execute(DB, "INSERT INTO titles VALUES (2, 'Undertow')", "INSERT INTO play_log VALUES ('e-2', 12)",
                "UPDATE titles SET name = 'Orbit (2027)' WHERE id = 1");

        Path out = WorkDir.fresh("sink-side-it").resolve("normalized.txt");
        Map<String, String> sink = new HashMap<>();
        sink.put("connector.class", "org.apache.kafka.connect.file.FileStreamSinkConnector");
        sink.put("topics", titles + "," + playLog);
        sink.put("file", out.toString());
        sink.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("key.converter.schemas.enable", "false");
        sink.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        sink.put("value.converter.schemas.enable", "false");
        sink.put("transforms", "normalize");
        sink.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        sink.put("errors.tolerance", "all");
        sink.put("errors.deadletterqueue.topic.name", "dlq.normalize");
        sink.put("errors.deadletterqueue.topic.replication.factor", "1");
        sink.put("errors.deadletterqueue.context.headers.enable", "true");
        connect.configureConnector("normalized-file", sink);
        connect.assertions().assertConnectorAndExactlyNumTasksAreRunning("normalized-file", 1, "sink did not start");

        List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
        connect.kafka().consume(2, 60_000, "dlq.normalize").forEach(dead::add);
        assertThat(dead).hasSize(2).allSatisfy(record -> {
            assertThat(ConnectWorkers.header(record, "__connect.errors.topic")).isEqualTo(playLog);
            assertThat(ConnectWorkers.header(record, "__connect.errors.exception.class.name"))
                    .isEqualTo("org.apache.kafka.connect.errors.DataException");
            assertThat(ConnectWorkers.header(record, "__connect.errors.exception.message"))
                    .contains(DB + ".play_log has no primary key").contains("key.columns");
        });

        List<String> lines = Await.value(Duration.ofSeconds(60), "3 normalized titles events in " + out,
                () -> readLines(out), l -> l.size() >= 3);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("{uuid=").contains("type=READ", "entity=" + DB + ".titles", "id=1,");
        assertThat(lines.get(1)).contains("type=CREATE", "id=2,");
        assertThat(lines.get(2)).contains("type=UPDATE", "id=1,", "name=Orbit (2027)");
        assertThat(String.join("\n", lines)).doesNotContain("play_log");
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
