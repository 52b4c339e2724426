package io.cdcmesh.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The local Connect stack, checked without a Docker engine (none runs on the build machines): the compose file parses,
 * every image is pinned to an exact version, every published port is on 127.0.0.1, every service is on the private
 * network, the image copies exactly the plugin archives this build makes, and the worker's environment defines every
 * {@code ${env:...}} the shipped connector configs use. Where the {@code docker compose} CLI exists, it must accept
 * the file too (it does not on the build machines).
 */
class DockerStackTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern PINNED = Pattern.compile("[\\w./-]+:(\\d+(\\.\\d+)+[\\w.-]*)(@sha256:[0-9a-f]{64})?");
    private static final Path COMPOSE = Path.of("compose.yml");

    private final String version = System.getProperty("cdcmesh.version");

    @Test
    void everyImageIsPinnedAndEveryPortIsOnLoopbackOnThePrivateNetwork() throws Exception {
        JsonNode services = YAML.readTree(COMPOSE.toFile()).path("services");
        assertThat(names(services)).containsExactlyInAnyOrder("kafka", "connect", "mysql", "mariadb", "elasticsearch", "hive",
                "schema-registry");
        services.fields().forEachRemaining(service -> {
            String name = service.getKey();
            JsonNode spec = service.getValue();
            String image = spec.path("image").asText();
            assertThat(image).as(name + " image").matches(PINNED).doesNotContain(":latest");
            for (JsonNode port : spec.path("ports")) {
                assertThat(port.asText()).as(name + " port").matches("127\\.0\\.0\\.1:\\d+:\\d+");
            }
            assertThat(spec.path("networks")).extracting(JsonNode::asText).as(name + " networks").containsExactly("cdc-mesh");
        });
        assertThat(services.path("connect").path("image").asText()).endsWith(":" + version);
        composeCliAccepts(COMPOSE);
    }

    @Test
    void theImageCopiesExactlyThePluginArchivesThisBuildMakes() throws Exception {
        String dockerfile = Files.readString(Path.of("connect/Dockerfile"));
        Matcher from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile);
        assertThat(from.find()).isTrue();
        assertThat(from.group(1)).matches(PINNED);
        List<String> copied = new ArrayList<>();
        Matcher copy = Pattern.compile("(?m)^COPY (?:--\\S+ )*(\\S+) (\\S+)").matcher(dockerfile);
        while (copy.find()) {
            copied.add(copy.group(1));
            assertThat(Path.of(copy.group(1))).as("COPY source " + copy.group(1)).exists();
        }
        assertThat(copied).contains("target/plugins/");
        Set<String> plugins = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(Path.of("target/plugins"))) {
            dirs.forEach(d -> plugins.add(d.getFileName().toString()));
        }
        assertThat(plugins).containsExactlyInAnyOrder("cdc-mesh-transforms-" + version, "cdc-mesh-sink-elasticsearch-" + version,
                "cdc-mesh-sink-hive-" + version, "cdc-mesh-forward-sink-" + version, "cdc-mesh-avro-converter-" + version,
                "cdc-mesh-json-converter-" + version,
                "debezium-connector-mysql",
                "debezium-connector-mariadb");
        for (String plugin : plugins) {
            try (Stream<Path> jars = Files.walk(Path.of("target/plugins", plugin))) {
                assertThat(jars.anyMatch(p -> p.toString().endsWith(".jar"))).as(plugin + " holds jars").isTrue();
            }
        }
        String worker = Files.readString(Path.of("connect/connect-distributed.properties"));
        assertThat(worker).contains("plugin.path=/opt/cdc-mesh/plugins").contains("config.providers.env.class=");
    }

    @Test
    void theWorkerEnvironmentDefinesEveryVariableTheShippedConfigsUse() throws Exception {
        Set<String> used = new TreeSet<>();
        Pattern env = Pattern.compile("\\$\\{env:([A-Za-z0-9_]+)}");
        try (Stream<Path> configs = Files.list(Path.of("../connect-configs"))) {
            for (Path config : configs.filter(p -> p.toString().endsWith(".json")).toList()) {
                Matcher m = env.matcher(Files.readString(config));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        JsonNode environment = YAML.readTree(COMPOSE.toFile()).path("services").path("connect").path("environment");
        assertThat(names(environment)).containsAll(used);
    }

    /** {@code docker compose config} accepts the file, where the Docker CLI and its compose plugin are installed. */
    private static void composeCliAccepts(Path file) throws Exception {
        Path docker = Stream.of("/usr/bin/docker", "/usr/local/bin/docker").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (docker == null || !composePluginPresent(docker)) {
            System.out.println("[docker] no docker compose CLI here: the file was checked by parsing it only");
            return;
        }
        Process process = new ProcessBuilder(docker.toString(), "compose", "-f", file.toString(), "config", "--quiet")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("docker compose config: " + output).isZero();
    }

    private static boolean composePluginPresent(Path docker) throws Exception {
        Process process = new ProcessBuilder(docker.toString(), "compose", "version").redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
