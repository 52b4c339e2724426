package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineFileTest {
    @TempDir
    Path dir;

    private Path write(String json) throws Exception {
        return Files.writeString(dir.resolve("pipeline.json"), json);
    }

    @Test
    void readsTheConnectShapedSectionsWithTheLineOfEachKey() throws Exception {
        Path file = write("""
                {
                  "runtime": {"data.dir": "state", "offset.flush.interval.ms": 500},
                  "source": {"name": "studio", "config": {
                    "connector.class": "io.debezium.connector.mysql.MySqlConnector",
                    "database.port": 3306
                  }},
                  "sinks": [
                    {"name": "search", "config": {"connector.class": "X", "topics": "a"}}
                  ]
                }
                """);
        PipelineFile pipeline = PipelineFile.read(file);
        assertThat(pipeline.runtime().config()).containsEntry("offset.flush.interval.ms", "500");
        assertThat(pipeline.source().config()).containsEntry("database.port", "3306").containsEntry("name", "studio");
        assertThat(pipeline.source().lineOf("database.port")).isEqualTo(5);
        assertThat(pipeline.sinks()).extracting(PipelineFile.Section::name).containsExactly("search");
        assertThat(pipeline.sinks().get(0).lineOf("topics")).isEqualTo(8);
    }

    @Test
    void anUnknownKeyIsReportedWithItsFileAndLine() throws Exception {
        Path file = write("""
                {
                  "source": {"name": "s", "config": {}},
                  "sink": []
                }
                """);
        assertThatThrownBy(() -> PipelineFile.read(file)).isInstanceOf(PipelineException.class)
                .hasMessage(file + ":3: unknown key 'sink' (expected runtime, source, sinks)");
    }

    @Test
    void brokenJsonIsReportedWithItsLine() throws Exception {
        Path file = write("""
                {
                  "source": {"name": "s", "config": {"a": "b",}}
                }
                """);
        assertThatThrownBy(() -> PipelineFile.read(file)).hasMessageStartingWith(file + ":2: not valid JSON");
    }

    @Test
    void aKeySetTwiceIsRefused() throws Exception {
        Path file = write("""
                {
                  "source": {"name": "s", "config": {
                    "topic.prefix": "a",
                    "topic.prefix": "b"
                  }},
                  "sinks": [{"name": "k", "config": {}}]
                }
                """);
        assertThatThrownBy(() -> PipelineFile.read(file)).hasMessage(file + ":4: 'topic.prefix' is set twice (first on line 3)");
    }

    @Test
    void nestedValuesAndDuplicateNamesAreRefused() throws Exception {
        Path nested = write("""
                {"source": {"name": "s", "config": {"a": {"b": 1}}}, "sinks": []}
                """);
        assertThatThrownBy(() -> PipelineFile.read(nested)).hasMessageContaining("the value of 'a' must be a string, number or boolean");
        Path duplicate = write("""
                {"source": {"name": "s", "config": {}},
                 "sinks": [{"name": "s", "config": {}}]}
                """);
        assertThatThrownBy(() -> PipelineFile.read(duplicate)).hasMessage(duplicate + ":2: the name 's' is used twice");
    }

    @Test
    void aPipelineWithoutSinksIsRefused() throws Exception {
        Path file = write("""
                {"source": {"name": "s", "config": {}}, "sinks": []}
                """);
        assertThatThrownBy(() -> PipelineFile.read(file)).hasMessageContaining("needs at least one sink");
    }
}
