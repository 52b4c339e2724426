package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's settings: the source's keys, cdc-mesh run's defaults where the source sets none, state under data.dir. */
class EnginePropertiesTest {
    @TempDir
    Path dir;

    private Properties engine(String sourceConfig) throws Exception {
        PipelineFile file = PipelineFile.read(Files.writeString(dir.resolve("pipeline.json"), """
                {
                  "runtime": {"data.dir": "%s"},
                  "source": {"name": "studio", "config": {"connector.class": "X"%s}},
                  "sinks": [{"name": "search", "config": {"connector.class": "Y", "topics": "a"}}]
                }
                """.formatted(dir.resolve("state"), sourceConfig)));
        return EngineProperties.of(file.source(), RuntimeSettings.from(file, file.runtime(), "/plugins"));
    }

    @Test
    void debeziumLooksForChangesEvery10MsUnlessTheSourceSaysOtherwise() throws Exception {
        assertThat(engine("").getProperty("poll.interval.ms")).isEqualTo("10");
        assertThat(engine(", \"poll.interval.ms\": \"250\"").getProperty("poll.interval.ms")).isEqualTo("250");
    }

    @Test
    void offsetsAndSchemaHistoryLiveUnderDataDirAndTransformsStayOutOfTheEngine() throws Exception {
        Properties engine = engine(", \"transforms\": \"normalize\", \"transforms.normalize.type\": \"T\"");
        assertThat(engine.getProperty("offset.storage.file.filename")).isEqualTo(dir.resolve("state/source-offsets.dat").toString());
        assertThat(engine.getProperty("schema.history.internal.file.filename")).isEqualTo(dir.resolve("state/schema-history.dat").toString());
        assertThat(engine).doesNotContainKeys("transforms", "transforms.normalize.type");
        assertThat(engine.getProperty("name")).isEqualTo("studio");
        assertThat(EngineProperties.stateFiles(engine)).as("made owner-only before the engine writes them")
                .containsExactly(dir.resolve("state/source-offsets.dat"), dir.resolve("state/schema-history.dat"));
    }

    @Test
    void schemaHistoryKeptInKafkaIsNoFileOfTheRuntimes() throws Exception {
        Properties engine = engine(", \"schema.history.internal\": \"io.debezium.storage.kafka.history.KafkaSchemaHistory\"");
        assertThat(EngineProperties.stateFiles(engine)).containsExactly(dir.resolve("state/source-offsets.dat"));
    }
}
