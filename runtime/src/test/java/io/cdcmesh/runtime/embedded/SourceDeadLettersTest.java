package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without a dead-letter cluster, a source transform's dead letters go to a file per dead-letter topic. */
class SourceDeadLettersTest {
    @TempDir
    Path dataDir;

    @Test
    void aDeadLetterFromASourceTransformIsWrittenToItsTopicsFileBeforeOfferReturns() throws Exception {
        RuntimeSettings runtime = new RuntimeSettings(dataDir, "", 1_000, 100, 10, 10, -1, null, java.util.Map.of());
        SourceRecord dead = new SourceRecord(Map.of(), Map.of(), "cdc-mesh.dlq.source", null, Schema.OPTIONAL_STRING_SCHEMA,
                null, Schema.OPTIONAL_STRING_SCHEMA, "{\"op\":\"c\"}");
        dead.headers().addString("__connect.errors.topic", "studio.shop.play_log")
                .addString("__connect.errors.stage", "TRANSFORMATION")
                .addString("__connect.errors.exception.message", "Table shop.play_log has no primary key");
        SourceRecord normal = new SourceRecord(Map.of(), Map.of(), "studio.shop.titles", null, null, null, null, "{}");
        assertThat(SourceDeadLetters.isDeadLetter(dead)).isTrue();
        assertThat(SourceDeadLetters.isDeadLetter(normal)).isFalse();

        try (SourceDeadLetters letters = new SourceDeadLetters(runtime, "studio")) {
            letters.offer(dead, 41);
            assertThat(letters.count()).isEqualTo(1);
            List<String> lines = Files.readAllLines(dataDir.resolve("dead-letter/cdc-mesh.dlq.source.jsonl"));
            assertThat(lines).hasSize(1);
            JsonNode line = new ObjectMapper().readTree(lines.get(0));
            assertThat(line.path("topic").asText()).isEqualTo("studio.shop.play_log");
            assertThat(line.path("offset").asLong()).isEqualTo(41);
            assertThat(line.path("error").asText()).contains("has no primary key");
            assertThat(line.path("value").asText()).isEqualTo("{\"op\":\"c\"}");
            // The file holds rows: its owner's only.
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dataDir.resolve("dead-letter/cdc-mesh.dlq.source.jsonl")))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(
                    dataDir.resolve("dead-letter")))).isEqualTo("rwx------");
        }
    }
}
