package io.cdcmesh.bench.embedded;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code cdc-mesh run} as its own process, from the jar the build made in runtime/target, with the JVM options the
 * launcher passes and a heap limit of {@value #HEAP}; read through its status port's Prometheus text.
 */
final class RuntimeProcess implements AutoCloseable {
    static final String HEAP = "1g";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger RUNS = new AtomicInteger();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ManagedProcess process;
    private final int statusPort;
    private long heapUsedMax;
    private long heapAfterGcMax;

    private RuntimeProcess(ManagedProcess process, int statusPort) {
        this.process = process;
        this.statusPort = statusPort;
    }

    /** A pipeline file: runtime settings, one source and the sinks, each a Connect {name, config}. */
    static Path writePipeline(Path file, Map<String, String> runtime, Map<String, String> source,
            Map<String, Map<String, String>> sinks) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("runtime", JSON.valueToTree(runtime));
        ObjectNode src = root.putObject("source");
        src.put("name", "bench");
        src.set("config", JSON.valueToTree(source));
        ArrayNode list = root.putArray("sinks");
        sinks.forEach((name, config) -> list.addObject().put("name", name).set("config", JSON.valueToTree(config)));
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }

    /** Starts {@code cdc-mesh run pipeline} with {@code status.port} added to its runtime section. */
    static RuntimeProcess start(String name, Path pipeline, Path workDir) throws IOException {
        int port = Ports.freePort();
        ObjectNode root = (ObjectNode) JSON.readTree(pipeline.toFile());
        ((ObjectNode) root.get("runtime")).put("status.port", Integer.toString(port));
        JSON.writerWithDefaultPrettyPrinter().writeValue(pipeline.toFile(), root);
        Path jar = Path.of(System.getProperty("cdcmesh.runtime.jar"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP));
        // Extra JVM options for exploring, e.g. a flight recording per run ({run} is replaced by the run's name):
        // -Dbench.runtime.jvm.options=-XX:StartFlightRecording=filename=/tmp/{run}.jfr,settings=profile
        String extra = System.getProperty("bench.runtime.jvm.options", "").trim().replace("{run}", RUNS.incrementAndGet() + "-" + name);
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-Dcdcmesh.plugin.path=" + jar.resolveSibling("plugins"), "-jar", jar.toString(), "run",
                pipeline.toString()));
        ManagedProcess process = ManagedProcess.start(name, command, workDir, workDir.resolve(name + ".log"), Map.of());
        return new RuntimeProcess(process, port);
    }

    long pid() {
        return process.pid();
    }

    /**
     * Every sample of the Prometheus text, by series ({@code name{labels}}); empty while the status port is not up.
     * Each read also keeps the heap's highest figures.
     */
    synchronized Map<String, Long> metrics() {
        if (!process.isAlive()) {
            throw new IllegalStateException("cdc-mesh run stopped; see " + process.log());
        }
        String text;
        try {
            text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException notYet) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Map<String, Long> samples = new LinkedHashMap<>();
        Matcher line = Pattern.compile("(?m)^([a-z0-9_]+(?:\\{[^}]*})?) (-?\\d+)$").matcher(text);
        while (line.find()) {
            samples.put(line.group(1), Long.parseLong(line.group(2)));
        }
        heapUsedMax = Math.max(heapUsedMax, samples.getOrDefault("cdcmesh_jvm_heap_used_bytes", 0L));
        heapAfterGcMax = Math.max(heapAfterGcMax, samples.getOrDefault("cdcmesh_jvm_heap_after_gc_bytes", 0L));
        return samples;
    }

    /** "heap: at most 412 MiB in use, 96 MiB live after a collection, of 1g". */
    String heap() {
        return String.format("heap: at most %,d MiB in use, at most %,d MiB live after a collection, limit %s",
                heapUsedMax >> 20, heapAfterGcMax >> 20, HEAP);
    }

    /** Stops the runtime as an operator would (SIGTERM): it commits what its sinks made durable, then exits. */
    @Override
    public void close() {
        process.close();
    }
}
