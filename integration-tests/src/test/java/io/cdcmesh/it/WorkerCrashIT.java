package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.CrashableWorker;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Connect worker in its own JVM, running Debezium + NormalizeChangeEvent and the Elasticsearch sink, is killed
 * with SIGKILL mid-stream, twice; a new worker takes over each time. The index still equals the table.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class WorkerCrashIT {
    private static final String DB = "crash_it";
    private static final int ROWS = 3_000;

    private CrashableWorker cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void indexEqualsTheTableAfterTheWorkerIsKilledMidStreamAndRestarted(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), revision INT)");
        cluster = CrashableWorker.start("crash-it");
        ConnectWorkerProcess worker = cluster.worker();
        worker.put("source", source(mysql));
        worker.put("es", sink(es));
        Await.until(Duration.ofSeconds(90), "source and sink tasks running",
                () -> worker.taskStates("source").equals(List.of("RUNNING")) && worker.taskStates("es").equals(List.of("RUNNING")));

        AtomicInteger written = new AtomicInteger();
        String index = DB + ".titles";
        CompletableFuture<Void> workload = CompletableFuture.runAsync(
                () -> writeWorkload(mysql, written, () -> IndexComparisons.count(es, index)));
        for (int crash = 1; crash <= 2; crash++) {
            long reached = crash * 400L;
            Await.until(Duration.ofSeconds(120), "at least " + reached + " documents before crash " + crash,
                    () -> IndexComparisons.count(es, index) >= reached);
            assertThat(workload).as("the workload is still running at crash " + crash).isNotDone();
            cluster.killAndReplace();
        }
        workload.get(5, TimeUnit.MINUTES);

        Map<String, Map<String, Object>> expected = IndexComparisons.sourceRows(mysql, DB, "titles");
        Map<String, JsonNode> documents = Await.value(Duration.ofSeconds(180), index + " to equal its table",
                () -> IndexComparisons.documentsUnchecked(es, index), docs -> docs.keySet().equals(expected.keySet()));
        expected.forEach((id, row) -> row.forEach((column, value) -> assertThat(IndexComparisons.normalize(documents.get(id).get(column)))
                .as("%s/%s.%s", index, id, column).isEqualTo(value)));
        assertThat(written.get()).isEqualTo(ROWS);
    }

    /**
     * Inserts ROWS titles; every third insert also updates an earlier title, every seventh deletes one. It stays at
     * most about 300 rows ahead of the index, so the stream is still flowing whenever the test kills the worker.
     */
    private static void writeWorkload(MySqlServer mysql, AtomicInteger written, java.util.function.LongSupplier indexed) {
        try (Connection c = mysql.connect(DB); Statement s = c.createStatement()) {
            for (int id = 1; id <= ROWS; id++) {
                s.execute("INSERT INTO titles VALUES (" + id + ", 'Title " + id + "', 0)");
                if (id % 3 == 0) {
                    s.execute("UPDATE titles SET revision = revision + 1, name = CONCAT('Title ', id, ' r', revision + 1)"
                            + " WHERE id = " + (id / 2));
                }
                if (id % 7 == 0) {
                    s.execute("DELETE FROM titles WHERE id = " + (id - 5));
                }
                written.incrementAndGet();
                if (id % 100 == 0) {
                    long live = id - id / 7;
                    Await.until(Duration.ofSeconds(180), "the index within 300 rows of row " + id,
                            () -> indexed.getAsLong() >= live - 300);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("workload failed after " + written.get() + " rows", e);
        }
    }

    private Map<String, String> source(MySqlServer mysql) {
        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, cluster.bootstrapServers(), "studio", DB, 2);
        config.put("transforms", "normalize");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        return config;
    }

    private static Map<String, String> sink(ElasticsearchServer es) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        config.put("tasks.max", "1");
        config.put("topics.regex", "studio\\." + DB + "\\..*");
        config.put("consumer.override.metadata.max.age.ms", "1000");
        config.put("connection.url", es.url());
        config.put("index.replicas", "0");
        config.put("batch.size", "200");
        return config;
    }
}
