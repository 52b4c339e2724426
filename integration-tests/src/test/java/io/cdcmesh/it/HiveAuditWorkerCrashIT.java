package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.CrashableWorker;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Connect worker in its own JVM, running Debezium + NormalizeChangeEvent and the Hive audit sink, is killed with
 * SIGKILL mid-stream three times; a new worker takes over each time. Every change is in Hive exactly once.
 */
@ExtendWith({MySqlExtension.class, HiveExtension.class})
class HiveAuditWorkerCrashIT {
    private static final String DB = "hive_crash";
    private static final int ROWS = 1_500;

    private CrashableWorker cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void everyChangeIsInHiveExactlyOnceAfterTheWorkerIsKilledMidStreamThreeTimes(MySqlServer mysql, HiveServer hive) throws Exception {
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), revision INT)",
                "CREATE TABLE probe (id INT PRIMARY KEY)");
        cluster = CrashableWorker.start("hive-crash-it");
        ConnectWorkerProcess worker = cluster.worker();
        worker.put("source", source(mysql));
        Map<String, String> sink = AuditTables.sinkConfig(hive, DB, "audit_crash", 2);
        sink.put("flush.size", "100");
        sink.put("rotate.interval.ms", "1000");
        // ORC here (text elsewhere): after each kill the next task learns what is written from the ORC files themselves.
        sink.put("storage.format", "orc");
        worker.put("hive", sink);
        Await.until(Duration.ofSeconds(90), "source and sink tasks running",
                () -> worker.taskStates("source").equals(List.of("RUNNING")) && worker.taskStates("hive").equals(List.of("RUNNING", "RUNNING")));

        AuditTables.awaitStreaming(mysql, hive, DB, "audit_crash");
        String table = "audit_crash." + DB + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        CompletableFuture<Void> workload = CompletableFuture.runAsync(
                () -> AuditTables.writeTitlesWorkload(mysql, DB, ROWS, changes, table, hive));
        for (int crash = 1; crash <= 3; crash++) {
            long reached = crash * 400L;
            Await.until(Duration.ofSeconds(180), "at least " + reached + " audit rows before crash " + crash,
                    () -> AuditTables.rows(hive, table) >= reached);
            assertThat(workload).as("the workload is still running at crash " + crash).isNotDone();
            cluster.killAndReplace();
        }
        workload.get(5, TimeUnit.MINUTES);

        long expected = changes.total(table);
        Await.until(Duration.ofSeconds(180), table + " to hold all " + expected + " changes",
                () -> AuditTables.rows(hive, table) >= expected);
        assertThat(AuditTables.duplicateUuids(hive, table)).as("uuids seen twice").isEmpty();
        assertThat(AuditTables.rows(hive, table)).isEqualTo(expected);
        assertThat(AuditTables.typeCounts(hive, table)).isEqualTo(changes.of(table));
    }

    private Map<String, String> source(MySqlServer mysql) {
        Map<String, String> config = ConnectWorkers.debeziumMySqlSource(mysql, cluster.bootstrapServers(), "studio", DB, 2);
        config.put("transforms", "normalize");
        config.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        return config;
    }
}
