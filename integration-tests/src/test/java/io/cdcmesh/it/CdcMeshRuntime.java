package io.cdcmesh.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.servers.ManagedProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The {@code cdc-mesh} CLI as a separate process, from the jar the build made in runtime/target. */
final class CdcMeshRuntime {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CdcMeshRuntime() {}

    static Path jar() {
        Path home = Path.of(System.getProperty("cdcmesh.cli.home", "../runtime"));
        Path jar = home.resolve("target/cdc-mesh.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build it with mvn -pl runtime -am package");
        }
        return jar.toAbsolutePath();
    }

    static Path pluginPath() {
        return jar().resolveSibling("plugins");
    }

    /** A pipeline file: the runtime settings, one source and the sinks, each a Connect {name, config}. */
    static Path writePipeline(Path file, Map<String, String> runtime, String sourceName, Map<String, String> source,
            Map<String, Map<String, String>> sinks) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.set("runtime", JSON.valueToTree(runtime));
        ObjectNode src = root.putObject("source");
        src.put("name", sourceName);
        src.set("config", JSON.valueToTree(source));
        var list = root.putArray("sinks");
        sinks.forEach((name, config) -> {
            ObjectNode sink = list.addObject();
            sink.put("name", name);
            sink.set("config", JSON.valueToTree(config));
        });
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
        return file;
    }

    /** Starts {@code cdc-mesh <args>} with its output in {@code log}. */
    static ManagedProcess start(String name, Path workDir, Path log, Map<String, String> env, String... args) {
        return start(name, workDir, log, env, List.of(), args);
    }

    /** As {@link #start(String, Path, Path, Map, String...)}, with more JVM options (e.g. a log configuration). */
    static ManagedProcess start(String name, Path workDir, Path log, Map<String, String> env, List<String> jvmOptions,
            String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-Dcdcmesh.plugin.path=" + pluginPath());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return ManagedProcess.start(name, command, workDir, log, env);
    }

    /** Runs {@code cdc-mesh <args>} to its end and returns the exit code and output. */
    static Result run(Path workDir, Map<String, String> env, long timeoutSeconds, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dcdcmesh.plugin.path=" + pluginPath());
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        return runToEnd(command, workDir, env, timeoutSeconds);
    }

    /** Runs a launcher script of the checkout (e.g. {@code runtime/cdc-mesh}) with {@code args}, as a user would. */
    static Result runLauncher(String launcher, Path workDir, long timeoutSeconds, String... args) throws Exception {
        Path script = jar().getParent().getParent().getParent().resolve(launcher);
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(List.of(args));
        return runToEnd(command, workDir, Map.of("JAVA_HOME", System.getProperty("java.home")), timeoutSeconds);
    }

    private static Result runToEnd(List<String> command, Path workDir, Map<String, String> env, long timeoutSeconds)
            throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end in " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    record Result(int exitCode, String output) {}
}
