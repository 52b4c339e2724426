package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.WorkDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code cdc-mesh run} on a terminal (a pseudo-terminal from util-linux {@code script}) shows the snapshot's progress
 * per table against the server's row estimate, then events per second with each sink's freshness and lag; with its
 * output not a terminal it prints no progress at all.
 */
@ExtendWith({MySqlExtension.class, ElasticsearchExtension.class})
class ProgressDisplayIT {
    private static final String DB = "progress_it";

    private Path work;
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            // The runtime under `script` is a grandchild: stop it by its own handle first, then script.
            ProcessHandle.of(runtime.pid()).ifPresent(script -> script.descendants().forEach(ProcessHandle::destroy));
            runtime.close();
        }
    }

    @Test
    void onATerminalItShowsSnapshotProgressThenFreshnessAndLagPerSink(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        work = WorkDir.fresh("progress-display-terminal");
        mysql.recreateDatabase(DB);
        mysql.execute(DB, "CREATE TABLE budgets (id INT AUTO_INCREMENT PRIMARY KEY, amount DECIMAL(12,2))",
                "INSERT INTO budgets (amount) VALUES (1), (2), (3), (4), (5), (6), (7), (8)");
        for (int i = 0; i < 14; i++) {
            mysql.execute(DB, "INSERT INTO budgets (amount) SELECT amount + 1 FROM budgets"); // 8 * 2^14 = 131,072 rows
        }
        mysql.execute(DB, "ANALYZE TABLE budgets");
        Path pipeline = pipeline(mysql, es);
        Path terminal = work.resolve("terminal.out");
        String command = String.join(" ", List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dcdcmesh.plugin.path=" + CdcMeshRuntime.pluginPath(), "-jar", CdcMeshRuntime.jar().toString(), "run", pipeline.toString(),
                "2>" + work.resolve("stderr.log")));
        runtime = ManagedProcess.start("cdc-mesh-on-a-terminal", List.of("script", "-qfec", command, "/dev/null"), work, terminal,
                Map.of());

        Await.until(Duration.ofSeconds(120), "a snapshot progress line with the table, its estimate and an ETA",
                () -> read(terminal).matches("(?s).*snapshot  " + DB + "\\.budgets [\\d,]+/~[\\d,]+  \\| [\\d,]+ rows/s  \\| ETA \\d+:\\d\\d.*"));
        mysql.execute(DB, "INSERT INTO budgets (amount) VALUES (42)");
        Await.until(Duration.ofSeconds(180), "a streaming line with the sink's freshness and lag",
                () -> read(terminal).matches("(?s).*streaming [\\d,]+ events/s, [\\d,]+ committed \\| search: fresh [\\d.]+ s, lag [\\d,]+.*"));
    }

    @Test
    void withoutATerminalItPrintsNoProgress(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        work = WorkDir.fresh("progress-display-quiet");
        mysql.recreateDatabase(DB + "_quiet");
        mysql.execute(DB + "_quiet", "CREATE TABLE budgets (id INT PRIMARY KEY, amount DECIMAL(12,2))", "INSERT INTO budgets VALUES (1, 1)");
        Path pipeline = pipelineFor(mysql, es, DB + "_quiet");
        Path log = work.resolve("quiet.log");
        runtime = CdcMeshRuntime.start("cdc-mesh-quiet", work, log, Map.of(), "run", pipeline.toString());
        Await.until(Duration.ofSeconds(120), "the row indexed", () -> IndexComparisons.count(es, DB + "_quiet.budgets") == 1);
        assertThat(read(log)).contains("Pipeline started").doesNotContain("events/s").doesNotContain("snapshot  ");
    }

    private Path pipeline(MySqlServer mysql, ElasticsearchServer es) throws Exception {
        return pipelineFor(mysql, es, DB);
    }

    private Path pipelineFor(MySqlServer mysql, ElasticsearchServer es, String db) throws Exception {
        Map<String, String> runtimeSettings = new LinkedHashMap<>();
        runtimeSettings.put("data.dir", work.resolve("state-" + db).toString());
        return CdcMeshRuntime.writePipeline(work.resolve("pipeline-" + db + ".json"), runtimeSettings, "studio",
                Pipelines.mysqlSource(mysql, db), Map.of("search", Pipelines.elasticsearchSink(es, db)));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (Exception e) {
            return "";
        }
    }
}
