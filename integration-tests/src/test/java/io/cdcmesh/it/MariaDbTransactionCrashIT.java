package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.MariaDbExtension;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.CrashableWorker;
import io.cdcmesh.testkit.hive.HiveExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * MariaDB, large multi-statement transactions ({@link LargeTransactions}), and what carries them killed with SIGKILL
 * three times while it is inside one: {@code cdc-mesh run}, then a Connect worker. Debezium resumes inside the
 * transaction and skips what it had emitted; every change must keep its position and uuid. Afterwards every change is
 * in the Hive audit exactly once (no uuid shared by two changes, per-type counts as made) and the index equals the
 * table field by field.
 */
@ExtendWith({MariaDbExtension.class, ElasticsearchExtension.class, HiveExtension.class})
class MariaDbTransactionCrashIT {
    private static final int TRANSACTIONS = 14;
    private static final String PASSWORD_ENV = "CDC_DB_PASSWORD";
    /** Debezium's streaming source logs at INFO how much of a transaction it skips on restart; the runtime hides INFO. */
    private static final String LOG_CONFIG = """
            <Configuration status="WARN">
              <Appenders><Console name="stderr" target="SYSTEM_ERR"><PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level %c{1} - %msg%n"/></Console></Appenders>
              <Loggers>
                <Logger name="io.cdcmesh" level="INFO"/>
                <Logger name="io.debezium.connector.binlog.BinlogStreamingChangeEventSource" level="INFO"/>
                <Root level="WARN"><AppenderRef ref="stderr"/></Root>
              </Loggers>
            </Configuration>
            """;

    private ManagedProcess runtime;
    private CrashableWorker cluster;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void cdcMeshRunKilledInsideLargeTransactionsThreeTimesLosesNothingAndDoublesNothing(MariaDbServer mariadb, ElasticsearchServer es,
            HiveServer hive) throws Exception {
        String db = "maria_run_crash";
        String audit = "audit_maria_run";
        Path work = io.cdcmesh.servers.WorkDir.fresh("mariadb-run-crash");
        LargeTransactions.createTables(mariadb, db);
        Path logConfig = Files.writeString(work.resolve("log4j2.xml"), LOG_CONFIG);
        Map<String, String> runtimeSettings = new LinkedHashMap<>();
        runtimeSettings.put("data.dir", work.resolve("state").toString());
        runtimeSettings.put("offset.flush.interval.ms", "500");
        Map<String, String> source = Pipelines.mariadbSource(mariadb, db);
        source.put("database.password", "${env:" + PASSWORD_ENV + "}");
        Map<String, Map<String, String>> sinks = new LinkedHashMap<>();
        sinks.put("search", elasticsearch(es, db));
        sinks.put("audit", hiveAudit(hive, db, audit));
        Path pipeline = CdcMeshRuntime.writePipeline(work.resolve("pipeline.json"), runtimeSettings, "studio", source, sinks);
        Map<String, String> env = Map.of(PASSWORD_ENV, SqlServer.CDC_PASSWORD);
        List<String> jvm = List.of("-Dlog4j2.configurationFile=" + logConfig);
        List<Path> restartLogs = new ArrayList<>();

        runtime = CdcMeshRuntime.start("cdc-mesh-maria-1", work, work.resolve("run-1.log"), env, jvm, "run", pipeline.toString());
        Path offsets = work.resolve("state/source-offsets.dat");
        crashThreeTimes(mariadb, es, hive, db, audit, () -> LargeTransactions.committedInFile(offsets), () -> {
            runtime.kill();
            int generation = restartLogs.size() + 2;
            Path log = work.resolve("run-" + generation + ".log");
            restartLogs.add(log);
            runtime = CdcMeshRuntime.start("cdc-mesh-maria-" + generation, work, log, env, jvm, "run", pipeline.toString());
        }, restartLogs);
    }

    @Test
    void connectWorkerKilledInsideLargeTransactionsThreeTimesLosesNothingAndDoublesNothing(MariaDbServer mariadb, ElasticsearchServer es,
            HiveServer hive) throws Exception {
        String db = "maria_connect_crash";
        String audit = "audit_maria_connect";
        LargeTransactions.createTables(mariadb, db);
        cluster = CrashableWorker.start("maria-crash-it");
        ConnectWorkerProcess worker = cluster.worker();
        Map<String, String> source = Pipelines.mariadbSource(mariadb, db);
        source.put("schema.history.internal.kafka.bootstrap.servers", cluster.bootstrapServers());
        source.put("schema.history.internal.kafka.topic", "schema-history.studio." + db);
        source.put("topic.creation.default.replication.factor", "1");
        source.put("topic.creation.default.partitions", "2");
        worker.put("source", source);
        worker.put("search", elasticsearch(es, db));
        worker.put("audit", hiveAudit(hive, db, audit));
        Await.until(Duration.ofSeconds(90), "every task running", () -> worker.taskStates("source").equals(List.of("RUNNING"))
                && worker.taskStates("search").equals(List.of("RUNNING")) && worker.taskStates("audit").equals(List.of("RUNNING")));
        List<Path> restartLogs = new ArrayList<>();
        crashThreeTimes(mariadb, es, hive, db, audit,
                () -> LargeTransactions.committedInTopic(cluster.bootstrapServers(), "maria-crash-it-offsets"),
                () -> restartLogs.add(cluster.killAndReplace().fullLog()), restartLogs);
    }

    /**
     * The workload, three kills (each once the audit is well inside the stream and the source offset last committed is
     * inside a transaction), then the sinks against the source.
     */
    private static void crashThreeTimes(SqlServer mariadb, ElasticsearchServer es, HiveServer hive, String db, String audit,
            Supplier<String> committedOffset, Crash crash, List<Path> restartLogs) throws Exception {
        AuditTables.awaitStreaming(mariadb, hive, db, audit);
        String table = audit + "." + db + "_titles";
        AuditTables.Changes changes = new AuditTables.Changes();
        CompletableFuture<Void> workload = CompletableFuture.runAsync(
                () -> LargeTransactions.write(mariadb, db, TRANSACTIONS, changes, table, hive));
        for (int kill = 1; kill <= 3; kill++) {
            // Mid-transaction: each transaction makes CHANGES_PER_TRANSACTION changes.
            long reached = (2L * kill + 1) * LargeTransactions.CHANGES_PER_TRANSACTION + LargeTransactions.CHANGES_PER_TRANSACTION / 2;
            Await.until(Duration.ofSeconds(180), "at least " + reached + " audit rows before kill " + kill,
                    LargeTransactions.throttled(() -> AuditTables.rows(hive, table) >= reached));
            Await.until(Duration.ofSeconds(60), "a source offset inside a transaction before kill " + kill,
                    () -> LargeTransactions.insideATransaction(committedOffset.get()));
            assertThat(workload).as("the workload is still running at kill " + kill).isNotDone();
            crash.run();
        }
        workload.get(5, TimeUnit.MINUTES);

        long expected = changes.total(table);
        Await.until(Duration.ofSeconds(180), table + " to hold all " + expected + " changes",
                LargeTransactions.throttled(() -> AuditTables.rows(hive, table) >= expected));
        assertThat(AuditTables.duplicateUuids(hive, table)).as("uuids seen twice").isEmpty();
        assertThat(AuditTables.rows(hive, table)).isEqualTo(expected);
        assertThat(AuditTables.typeCounts(hive, table)).isEqualTo(changes.of(table));
        IndexComparisons.awaitIndexEqualsTable(mariadb, es, db, "titles", Duration.ofSeconds(120));
        assertThat(LargeTransactions.resumedInsideATransaction(restartLogs))
                .as("restarts that resumed inside a transaction (Debezium: 'Skip N events on streaming start', N > 0)")
                .isPositive();
    }

    @FunctionalInterface
    private interface Crash {
        void run() throws Exception;
    }

    private static Map<String, String> elasticsearch(ElasticsearchServer es, String db) {
        Map<String, String> sink = Pipelines.elasticsearchSink(es, db);
        sink.put("tasks.max", "1");
        sink.put("consumer.override.metadata.max.age.ms", "1000");
        return sink;
    }

    private static Map<String, String> hiveAudit(HiveServer hive, String db, String audit) {
        Map<String, String> sink = new LinkedHashMap<>(AuditTables.sinkConfig(hive, db, audit, 1));
        sink.put("flush.size", "500");
        sink.put("rotate.interval.ms", "1000");
        return sink;
    }
}
