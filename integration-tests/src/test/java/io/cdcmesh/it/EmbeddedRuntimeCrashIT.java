package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;


/**
 * {@code cdc-mesh run} as its own process, MySQL 8 into Elasticsearch, Hive and a filtered Kafka topic, is killed
 * with SIGKILL mid-stream three times and started again each time. Afterwards the index equals the table, every
 * change is in Hive exactly once, and the topic holds exactly the events its filter keeps.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class EmbeddedRuntimeCrashIT {
    private static final String DB = "embedded_it";
    private static final String AUDIT = "audit_embedded";
    private static final String TARGET_TOPIC = "updates.titles";
    private static final int ROWS = 1_500;

    /** Under target/testkit, so the runtime's logs stay after the test. */
    private final Path work = io.cdcmesh.servers.WorkDir.fresh("embedded-runtime-crash");

    private final Closer closer = new Closer();
    private EmbeddedKafkaCluster kafka;
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        closer.close();
    }

    @Test
    void sinksEqualTheSourceAfterTheRuntimeIsKilledMidStreamThreeTimes(MySqlServer mysql, ElasticsearchServer es, HiveServer hive)
            throws Exception {
        StudioPipeline.createTables(mysql, DB);
        kafka = closer.broker();
        kafka.createTopic(TARGET_TOPIC, 2);

        Path pipeline = pipeline(mysql, es, hive);
        Map<String, String> env = Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD);
        int generation = 1;
        runtime = CdcMeshRuntime.start("cdc-mesh-run-1", work, work.resolve("run-1.log"), env, "run", pipeline.toString());

        AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);
        String table = AUDIT + "." + DB + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        CompletableFuture<Void> workload = CompletableFuture.runAsync(
                () -> AuditTables.writeTitlesWorkload(mysql, DB, ROWS, changes, table, hive));
        for (int crash = 1; crash <= 3; crash++) {
            long reached = crash * 400L;
            Await.until(Duration.ofSeconds(180), "at least " + reached + " audit rows before crash " + crash,
                    () -> AuditTables.rows(hive, table) >= reached);
            assertThat(workload).as("the workload is still running at crash " + crash).isNotDone();
            runtime.kill();
            generation++;
            runtime = CdcMeshRuntime.start("cdc-mesh-run-" + generation, work, work.resolve("run-" + generation + ".log"), env,
                    "run", pipeline.toString());
        }
        workload.get(5, TimeUnit.MINUTES);

        int repeated = StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
        System.out.printf("the filtered topic repeated %d updates after the kills%n", repeated);
    }

    private Path pipeline(MySqlServer mysql, ElasticsearchServer es, HiveServer hive) throws Exception {
        Path file = StudioPipeline.write(work.resolve("pipeline.json"), work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql, es,
                hive, kafka.bootstrapServers());
        assertThat(Files.readString(file)).doesNotContain(SqlServer.CDC_PASSWORD);
        return file;
    }

}
