package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code cdc-mesh} jar as users run it: its launchers, its help, and a bad pipeline refused before anything starts. */
class CdcMeshCliIT {
    private final Path work = io.cdcmesh.servers.WorkDir.fresh("cdc-mesh-cli");

    @Test
    void helpListsEveryCommand() throws Exception {
        CdcMeshRuntime.Result help = CdcMeshRuntime.run(work, Map.of(), 60, "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("Usage: cdc-mesh", "Exit codes:");
        for (String command : java.util.List.of("run", "demo", "deploy", "status", "pause", "resume", "restart", "schemas", "help")) {
            assertThat(help.output()).containsPattern("(?m)^  " + command + " ");
        }
    }

    @Test
    void theLauncherRunsTheBuiltJarAndItsOldPathStillWorksWithANote() throws Exception {
        CdcMeshRuntime.Result current = CdcMeshRuntime.runLauncher("runtime/cdc-mesh", work, 60, "--version");
        assertThat(current.exitCode()).isZero();
        assertThat(current.output()).startsWith("cdc-mesh ").doesNotContain("deprecated");

        CdcMeshRuntime.Result old = CdcMeshRuntime.runLauncher("connectors/cdc-mesh", work, 60, "--version");
        assertThat(old.exitCode()).isZero();
        assertThat(old.output()).contains("connectors/cdc-mesh is deprecated; use runtime/cdc-mesh")
                .contains(current.output().trim());
    }

    @Test
    void aBadPipelineIsRefusedWithFileLineAndKeyAndNothingStarts() throws Exception {
        Path pipeline = Files.writeString(work.resolve("bad.json"), """
                {
                  "runtime": {"data.dir": "state"},
                  "source": {"name": "studio", "config": {
                    "connector.class": "com.example.NoSuchConnector"
                  }},
                  "sinks": [
                    {"name": "updates", "config": {
                      "connector.class": "io.cdcmesh.connectors.forward.TopicForwardSinkConnector",
                      "topics": "a", "topics.regex": "b",
                      "target.topic": "not a topic",
                      "target.bootstrap.servers": "127.0.0.1:1"
                    }}
                  ]
                }
                """);
        CdcMeshRuntime.Result result = CdcMeshRuntime.run(work, Map.of(), 120, "run", pipeline.toString());
        assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
        assertThat(result.output())
                .contains(pipeline + ":4: source 'studio' key 'connector.class': no connector com.example.NoSuchConnector")
                .contains(pipeline + ":10: sink 'updates' key 'target.topic': ")
                .contains(pipeline + ":9: sink 'updates' key 'topics.regex': set exactly one of 'topics' and 'topics.regex'");
        assertThat(work.resolve("state")).as("nothing started, so no state").doesNotExist();
    }

    @Test
    void anUnsetSecretIsRefusedOnItsKey() throws Exception {
        Path pipeline = Files.writeString(work.resolve("secret.json"), """
                {
                  "source": {"name": "studio", "config": {
                    "connector.class": "io.debezium.connector.mysql.MySqlConnector",
                    "database.password": "${env:CDC_MESH_TEST_UNSET_PASSWORD}"
                  }},
                  "sinks": [{"name": "s", "config": {"connector.class": "x", "topics": "a"}}]
                }
                """);
        CdcMeshRuntime.Result result = CdcMeshRuntime.run(work, Map.of(), 120, "run", pipeline.toString());
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.output()).contains(pipeline + ":4: source 'studio' key 'database.password': "
                + "${env:CDC_MESH_TEST_UNSET_PASSWORD} did not resolve");
    }
}
