package io.cdcmesh.sink.elasticsearch;

import static io.cdcmesh.sink.elasticsearch.Events.ROW_V1;
import static io.cdcmesh.sink.elasticsearch.Events.title;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.testkit.MySqlServer;
import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.testkit.SqlServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** document.source=lookup: the index follows the source's current rows, whatever the events' payloads say. */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class LookupModeIT {
    private static final TopicPartition PARTITION = new TopicPartition(Events.TOPIC, 0);
    private ElasticsearchSinkTask task;

    @AfterEach
    void stop() {
        if (task != null) {
            task.stop();
        }
    }

    @Test
    void lookupIndexesTheCurrentRowsEvenWhenEventPayloadsAreStale(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase("film");
        mysql.execute("film", "CREATE TABLE titles (id INT PRIMARY KEY, title VARCHAR(100), launch_date DATE, budget DECIMAL(15,2))",
                "INSERT INTO titles VALUES (1, 'Orbit', '2027-07-01', 1000000.00), (2, 'Undertow', '2027-03-01', 25.50),"
                        + " (3, 'Lighthouse (re-released)', '2028-01-01', 7.00)");
        Map<String, String> props = new HashMap<>();
        props.put("name", "lookup-it");
        props.put("connection.url", es.url());
        props.put("topic.index.map", Events.TOPIC + ":titles-lookup");
        props.put("index.replicas", "0");
        props.put("document.source", "lookup");
        props.put("lookup.connection.url", "jdbc:mysql://127.0.0.1:" + mysql.port() + "/?sslMode=DISABLED&allowPublicKeyRetrieval=true");
        props.put("lookup.connection.user", SqlServer.CDC_USER);
        props.put("lookup.connection.password", SqlServer.CDC_PASSWORD);
        props.put("linger.ms", "10000");
        task = new ElasticsearchSinkTask();
        task.initialize(new RecordingSinkContext(PARTITION));
        task.start(props);

        Events events = new Events();
        List<SinkRecord> stale = new ArrayList<>();
        stale.add(events.event("CREATE", null, title(ROW_V1, 1, "Orbit (stale)", 20_000, "1.00"), 10));
        stale.add(events.event("UPDATE", title(ROW_V1, 2, "x", 1, null), title(ROW_V1, 2, "Undertow (stale)", 20_001, null), 11));
        stale.add(events.event("DELETE", title(ROW_V1, 3, "Lighthouse", 20_002, null), null, 12));
        stale.add(events.event("UPDATE", title(ROW_V1, 4, "Gone", 20_003, null), title(ROW_V1, 4, "Gone (stale)", 20_004, null), 13));
        deliver(task, stale, 4);

        Map<String, JsonNode> docs = ElasticsearchSinkTaskIT.documents(es, "titles-lookup");
        assertThat(docs).containsOnlyKeys("1", "2", "3");
        assertThat(docs.get("1").get("title").asText()).isEqualTo("Orbit");
        assertThat(docs.get("1").get("launch_date").asText()).isEqualTo("2027-07-01");
        assertThat(docs.get("1").get("budget").decimalValue()).isEqualByComparingTo("1000000.00");
        assertThat(docs.get("2").get("title").asText()).isEqualTo("Undertow");
        assertThat(docs.get("3").get("title").asText()).as("deleted per the event, present in the source").isEqualTo("Lighthouse (re-released)");

        mysql.execute("film", "DELETE FROM titles WHERE id = 2", "UPDATE titles SET title = 'Orbit II' WHERE id = 1");
        long probeCost = -comSelect(mysql) + comSelect(mysql);
        long selectsBefore = comSelect(mysql);
        List<SinkRecord> hints = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            hints.add(events.event("UPDATE", title(ROW_V1, 1 + i % 2, "a", 1, null), title(ROW_V1, 1 + i % 2, "b", 2, null), 100 + i));
        }
        deliver(task, hints, 54);
        assertThat(comSelect(mysql) - selectsBefore - probeCost).as("one query for the table, for a batch of 50 events")
                .isEqualTo(1);
        docs = ElasticsearchSinkTaskIT.documents(es, "titles-lookup");
        assertThat(docs).containsOnlyKeys("1", "3");
        assertThat(docs.get("1").get("title").asText()).isEqualTo("Orbit II");
    }

    private static void deliver(ElasticsearchSinkTask task, List<SinkRecord> records, long upTo) {
        task.put(records);
        TaskAcks.awaitCommittable(task, upTo, Duration.ofSeconds(60));
    }

    /** The server's count of SELECTs so far (reading it may itself count: the test measures that as probeCost). */
    private static long comSelect(MySqlServer mysql) throws Exception {
        try (Connection c = mysql.connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL STATUS LIKE 'Com_select'")) {
            rs.next();
            return rs.getLong(2);
        }
    }
}
