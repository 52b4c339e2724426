package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.testkit.connect.ConnectStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/** The plugin archives have the Confluent Hub layout and leave the worker's own jars out. */
class PluginArchiveIT {
    private final String version = ConnectStack.version();
    private final Path plugin = ConnectStack.pluginPath().resolve("cdc-mesh-transforms-" + version);

    @Test
    void manifestDescribesTheComponentInConfluentHubFormat() throws IOException {
        JsonNode manifest = new ObjectMapper().readTree(plugin.resolve("manifest.json").toFile());
        assertThat(manifest.get("name").asText()).isEqualTo("cdc-mesh-transforms");
        assertThat(manifest.get("version").asText()).isEqualTo(version);
        assertThat(manifest.get("title").asText()).isNotBlank();
        assertThat(manifest.get("description").asText()).contains("Debezium");
        assertThat(manifest.get("owner").get("username").asText()).isEqualTo("cdc-mesh");
        assertThat(manifest.get("component_types")).extracting(JsonNode::asText).containsExactly("transform");
        assertThat(manifest.get("license").get(0).get("name").asText()).isEqualTo("Apache License 2.0");
        assertThat(manifest.toString()).doesNotContain("${");
    }

    @Test
    void libHoldsThePluginAndItsDependenciesButNotTheWorkersJars() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.list(plugin.resolve("lib"))) {
            jars = files.map(p -> p.getFileName().toString()).toList();
        }
        assertThat(jars).contains("cdc-mesh-transforms-" + version + ".jar")
                .anyMatch(j -> j.startsWith("cel-"))
                .anyMatch(j -> j.startsWith("caffeine-"))
                .noneMatch(j -> j.startsWith("kafka-clients-") || j.startsWith("connect-api-")
                        || j.startsWith("connect-transforms-") || j.startsWith("slf4j-api-"));
        assertThat(plugin.resolve("doc/README.md")).exists();
        assertThat(plugin.resolve("doc/CONFIG.md")).exists();
        assertThat(plugin.resolve("doc/LICENSE")).exists();
    }

    @Test
    void pluginJarRegistersEveryTransformAndPredicateAsAService() throws IOException {
        try (ZipFile jar = new ZipFile(plugin.resolve("lib/cdc-mesh-transforms-" + version + ".jar").toFile())) {
            assertThat(new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/org.apache.kafka.connect.transforms.Transformation")).readAllBytes()).lines())
                    .containsExactlyInAnyOrder("io.cdcmesh.transforms.NormalizeChangeEvent",
                            "io.cdcmesh.transforms.FilterChangeEvent", "io.cdcmesh.transforms.DropDuplicates");
            assertThat(new String(jar.getInputStream(jar.getEntry(
                    "META-INF/services/org.apache.kafka.connect.transforms.predicates.Predicate")).readAllBytes()).lines())
                    .containsExactly("io.cdcmesh.transforms.predicates.ChangeTypeIs");
        }
    }

    @Test
    void hiveSinkArchiveOrdersHadoopBeforeTheJdbcDriversCopiesOfIt() throws IOException {
        Path hive = ConnectStack.pluginPath().resolve("cdc-mesh-sink-hive-" + version);
        JsonNode manifest = new ObjectMapper().readTree(hive.resolve("manifest.json").toFile());
        assertThat(manifest.get("component_types")).extracting(JsonNode::asText).containsExactly("sink");
        List<String> jars;
        try (Stream<Path> files = Files.list(hive.resolve("lib"))) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).contains("cdc-mesh-sink-hive-" + version + ".jar", "cdc-mesh-common-" + version + ".jar")
                .noneMatch(j -> j.startsWith("kafka-clients-") || j.startsWith("connect-api-") || j.startsWith("slf4j-api-"));
        // Connect orders a plugin's jars by path: the real Hadoop classes must win over the driver's partial copies.
        int hadoop = jars.indexOf(jars.stream().filter(j -> j.startsWith("hadoop-client-api-")).findFirst().orElseThrow());
        int driver = jars.indexOf(jars.stream().filter(j -> j.startsWith("hive-jdbc-")).findFirst().orElseThrow());
        assertThat(hadoop).isLessThan(driver);
        assertThat(hive.resolve("doc/README.md")).exists();
        assertThat(hive.resolve("doc/CONFIG.md")).exists();
    }

    @Test
    void forwardSinkArchiveLeavesKafkasOwnJarsToTheWorker() throws IOException {
        Path forward = ConnectStack.pluginPath().resolve("cdc-mesh-forward-sink-" + version);
        JsonNode manifest = new ObjectMapper().readTree(forward.resolve("manifest.json").toFile());
        assertThat(manifest.get("component_types")).extracting(JsonNode::asText).containsExactly("sink");
        List<String> jars;
        try (Stream<Path> files = Files.list(forward.resolve("lib"))) {
            jars = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(jars).containsExactly("cdc-mesh-common-" + version + ".jar", "cdc-mesh-forward-sink-" + version + ".jar");
        assertThat(forward.resolve("doc/README.md")).exists();
        assertThat(forward.resolve("doc/CONFIG.md")).exists();
    }
}
