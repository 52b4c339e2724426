package io.cdcmesh.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.runtime.embedded.PipelineException;
import io.cdcmesh.runtime.embedded.PipelineFile;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cdc-mesh deploy --connect <url> <files or folders>}: validates every connector against the worker first,
 * checks what no single connector's validate() can, and applies them only when all are valid; then waits until each
 * connector and its tasks are RUNNING.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Validates connector configs against a Kafka Connect worker, then applies them.",
                "%nEach file is a connector config ({\"name\":..,\"config\":{..}}, or a flat config with its name) or a"
                        + " pipeline file (its source and sinks). Every config is first sent to PUT"
                        + " /connector-plugins/{class}/config/validate; every field-level error is printed with its file,"
                        + " line and key. Cross-connector checks follow (sink topics no source produces, deletes a"
                        + " chain would drop). Only when everything is valid are the configs applied with PUT"
                        + " /connectors/{name}/config (unchanged ones are left alone); then deploy waits until every"
                        + " connector and task is RUNNING, or prints the failed task's trace.",
                "%nSecrets stay ${env:..}/${file:..} references: the worker's config providers resolve them."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:all applied and RUNNING", "1:a connector or task did not reach RUNNING",
                "2:invalid configs (nothing applied)", "3:the worker could not be reached"})
final class DeployCommand implements Callable<Integer> {
    static final int UNREACHABLE = 3;

    @Option(names = "--connect", required = true, paramLabel = "URL", description = "the Connect worker's REST URL")
    String connect;

    @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS",
            description = "how long to wait for RUNNING (default: ${DEFAULT-VALUE})")
    long timeoutSeconds;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "config files, pipeline files, or folders of *.json")
    List<Path> paths;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        PrintStream err = System.err;
        List<PipelineFile.Section> connectors = new ArrayList<>();
        Map<String, String> fileOf = new HashMap<>();
        try {
            for (Path file : files(paths)) {
                for (PipelineFile.Section connector : PipelineFile.connectors(file)) {
                    if (fileOf.containsKey(connector.name())) {
                        throw PipelineException.at(file.toString(), connector.line(), "connector '" + connector.name()
                                + "' is also defined in " + fileOf.get(connector.name()));
                    }
                    fileOf.put(connector.name(), file.toString());
                    connectors.add(connector);
                }
            }
        } catch (PipelineException e) {
            err.println(e.getMessage());
            return CdcMesh.INVALID;
        }
        ConnectClient client = new ConnectClient(connect);
        try {
            List<String> errors = new ArrayList<>();
            for (PipelineFile.Section connector : connectors) {
                validate(client, fileOf.get(connector.name()), connector, errors);
            }
            if (errors.isEmpty()) {
                errors.addAll(CrossConnectorChecks.check(connectors, fileOf, client));
            }
            if (!errors.isEmpty()) {
                errors.forEach(err::println);
                err.println("cdc-mesh deploy: " + errors.size() + " problem(s); nothing was applied");
                return CdcMesh.INVALID;
            }
            List<String> updated = new ArrayList<>();
            for (PipelineFile.Section connector : connectors) {
                String applied = apply(client, connector);
                out.println(applied);
                if (applied.startsWith("updated")) {
                    updated.add(connector.name());
                }
            }
            // A connector updated because it failed (a source whose server went away, re-pointed at its replica)
            // runs again with its new config; Connect does not restart a failed task on its own.
            for (String name : updated) {
                if (RunningWait.failure(client.status(name)) != null) {
                    client.restart(name, true);
                    out.println("restarted  " + name + " (it had failed)");
                }
            }
            return new RunningWait(client, out, err, timeoutSeconds).await(connectors.stream().map(PipelineFile.Section::name).toList());
        } catch (ConnectClient.UnreachableException e) {
            err.println("cdc-mesh deploy: " + e.getMessage());
            return UNREACHABLE;
        }
    }

    /** The files named, with each folder's *.json files in name order. */
    static List<Path> files(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    listing.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().forEach(files::add);
                } catch (IOException e) {
                    throw new PipelineException(path + ": cannot be listed: " + e.getMessage(), e);
                }
            } else {
                files.add(path);
            }
        }
        if (files.isEmpty()) {
            throw new PipelineException(paths + ": no *.json files");
        }
        return files;
    }

    private static void validate(ConnectClient client, String file, PipelineFile.Section connector, List<String> errors)
            throws IOException, InterruptedException {
        String where = connector.kind().equals("connector") ? "connector '" + connector.name() + "'" : connector.label();
        String connectorClass = connector.config().get("connector.class");
        if (connectorClass == null || connectorClass.isBlank()) {
            errors.add(file + ":" + connector.line() + ": " + where + " key 'connector.class': missing");
            return;
        }
        JsonNode result;
        try {
            result = client.validate(connectorClass.trim(), connector.config());
        } catch (ConnectClient.ApiException e) {
            errors.add(file + ":" + connector.lineOf("connector.class") + ": " + where + " key 'connector.class': the worker"
                    + " refused it: " + e.getMessage());
            return;
        }
        for (JsonNode config : result.path("configs")) {
            JsonNode value = config.path("value");
            String key = value.path("name").asText();
            for (JsonNode message : value.path("errors")) {
                errors.add(file + ":" + connector.lineOf(key) + ": " + where + " key '" + key + "': " + message.asText());
            }
        }
    }

    /** Creates or updates the connector unless the worker already has exactly this config. */
    private static String apply(ConnectClient client, PipelineFile.Section connector) throws IOException, InterruptedException {
        Map<String, String> desired = new LinkedHashMap<>(connector.config());
        desired.put("name", connector.name());
        JsonNode current = client.config(connector.name());
        if (current != null && asMap(current).equals(desired)) {
            return "unchanged  " + connector.name();
        }
        client.putConfig(connector.name(), desired);
        return (current == null ? "created    " : "updated    ") + connector.name();
    }

    static Map<String, String> asMap(JsonNode node) {
        Map<String, String> map = new HashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
