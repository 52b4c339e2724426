package io.cdcmesh.runtime.embedded;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pipeline file: JSON with a {@code runtime} section, one {@code source} and a list of {@code sinks}. The source and
 * each sink have exactly the shape of Kafka Connect's {@code POST /connectors} body, {@code {"name": ..., "config":
 * {...}}}, with the keys users write for Connect, so each can move to a Connect cluster unchanged. Every key keeps the
 * line it is on, for error messages.
 *
 * <pre>
 * {
 *   "runtime": { "data.dir": "state" },
 *   "source":  { "name": "studio", "config": { "connector.class": "io.debezium.connector.mysql.MySqlConnector", ... } },
 *   "sinks": [ { "name": "search", "config": { "connector.class": "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector", ... } } ]
 * }
 * </pre>
 */
public record PipelineFile(String file, Section runtime, Section source, List<Section> sinks) {
    private static final Set<String> TOP_LEVEL = Set.of("runtime", "source", "sinks");

    /** One block of settings: its name, its keys as text, and each key's line. */
    public record Section(String kind, String name, int line, Map<String, String> config, Map<String, Integer> lines) {
        /** "source 'studio'", "sink 'search'", "runtime". */
        public String label() {
            return name == null ? kind : kind + " '" + name + "'";
        }

        public int lineOf(String key) {
            return lines.getOrDefault(key, line);
        }
    }

    public static PipelineFile read(Path path) {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new PipelineException(file + ": no such file");
        }
        try (JsonParser p = new JsonFactory().createParser(path.toFile())) {
            return new Reader(file, p).pipeline();
        } catch (JsonParseException e) {
            throw PipelineException.at(file, e.getLocation().getLineNr(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PipelineException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Every connector a file defines, for deploying to Connect: a pipeline file's source and sinks; a single
     * connector as Connect's {@code POST /connectors} body, {@code {"name": ..., "config": {...}}}; or a flat config
     * with its {@code name}, as {@code PUT /connectors/{name}/config} takes it.
     */
    public static List<Section> connectors(Path path) {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            throw new PipelineException(file + ": no such file");
        }
        JsonNode tree;
        try {
            tree = new ObjectMapper().readTree(path.toFile());
        } catch (JsonParseException e) {
            throw PipelineException.at(file, e.getLocation().getLineNr(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PipelineException(file + ": cannot be read: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw PipelineException.at(file, 1, "the file must hold one JSON object");
        }
        if (tree.has("source") || tree.has("sinks") || tree.has("runtime")) {
            PipelineFile pipeline = read(path);
            List<Section> all = new ArrayList<>();
            all.add(pipeline.source());
            all.addAll(pipeline.sinks());
            return all;
        }
        try (JsonParser p = new JsonFactory().createParser(path.toFile())) {
            Reader reader = new Reader(file, p);
            return List.of(tree.path("config").isObject() ? reader.namedConnector() : reader.flatConnector());
        } catch (JsonParseException e) {
            throw PipelineException.at(file, e.getLocation().getLineNr(), "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PipelineException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    private static final class Reader {
        private final String file;
        private final JsonParser p;

        Reader(String file, JsonParser p) {
            this.file = file;
            this.p = p;
        }

        /** A whole file holding one connector, {"name": ..., "config": {...}}. */
        Section namedConnector() throws IOException {
            return connector("connector", 1, p.nextToken());
        }

        /** A whole file holding one flat config with its name. */
        Section flatConnector() throws IOException {
            Section flat = flat("connector", null, 1, p.nextToken());
            String name = flat.config().get("name");
            if (name == null || name.isBlank()) {
                throw PipelineException.at(file, 1, "a connector config needs its 'name'");
            }
            return new Section("connector", name, 1, flat.config(), flat.lines());
        }

        PipelineFile pipeline() throws IOException {
            expect(p.nextToken(), JsonToken.START_OBJECT, "the file must hold one JSON object");
            Section runtime = new Section("runtime", null, 1, Map.of(), Map.of());
            Section source = null;
            List<Section> sinks = new ArrayList<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int line = line();
                if (!TOP_LEVEL.contains(key)) {
                    throw PipelineException.at(file, line, "unknown key '" + key + "' (expected runtime, source, sinks)");
                }
                JsonToken token = p.nextToken();
                switch (key) {
                    case "runtime" -> runtime = flat("runtime", null, line, token);
                    case "source" -> source = connector("source", line, token);
                    default -> {
                        expect(token, JsonToken.START_ARRAY, "'sinks' must be a list of {\"name\": ..., \"config\": {...}}");
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            sinks.add(connector("sink", line(), p.currentToken()));
                        }
                    }
                }
            }
            if (source == null) {
                throw PipelineException.at(file, 1, "no 'source': the pipeline needs one source connector");
            }
            if (sinks.isEmpty()) {
                throw PipelineException.at(file, 1, "no 'sinks': the pipeline needs at least one sink connector");
            }
            List<String> names = new ArrayList<>();
            names.add(source.name());
            for (Section sink : sinks) {
                if (names.contains(sink.name())) {
                    throw PipelineException.at(file, sink.line(), "the name '" + sink.name() + "' is used twice");
                }
                names.add(sink.name());
            }
            return new PipelineFile(file, runtime, source, List.copyOf(sinks));
        }

        private Section connector(String kind, int line, JsonToken token) throws IOException {
            expect(token, JsonToken.START_OBJECT, "a " + kind + " is {\"name\": ..., \"config\": {...}}");
            String name = null;
            Section config = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line();
                JsonToken value = p.nextToken();
                if (key.equals("name")) {
                    expect(value, JsonToken.VALUE_STRING, "'name' must be a string");
                    name = p.getText();
                    if (name.isBlank()) {
                        throw PipelineException.at(file, keyLine, "'name' must not be empty");
                    }
                } else if (key.equals("config")) {
                    config = flat(kind, null, keyLine, value);
                } else {
                    throw PipelineException.at(file, keyLine, "unknown key '" + key + "' in a " + kind + " (expected name, config)");
                }
            }
            if (name == null) {
                throw PipelineException.at(file, line, "a " + kind + " needs a 'name'");
            }
            if (config == null) {
                throw PipelineException.at(file, line, kind + " '" + name + "' needs a 'config' object");
            }
            String configName = config.config().get("name");
            if (configName != null && !configName.equals(name)) {
                throw PipelineException.at(file, config.lineOf("name"), kind + " '" + name + "': config.name is '" + configName
                        + "'; leave it out or make it the same");
            }
            Map<String, String> values = new LinkedHashMap<>(config.config());
            values.put("name", name);
            return new Section(kind, name, line, values, config.lines());
        }

        /** An object of scalar values, each kept as text. */
        private Section flat(String kind, String name, int line, JsonToken token) throws IOException {
            expect(token, JsonToken.START_OBJECT, "'" + kind + "' settings must be an object of key: value");
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, Integer> lines = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                int keyLine = line();
                JsonToken value = p.nextToken();
                if (!value.isScalarValue() || value == JsonToken.VALUE_NULL) {
                    throw PipelineException.at(file, keyLine, "the value of '" + key + "' must be a string, number or boolean");
                }
                if (values.containsKey(key)) {
                    throw PipelineException.at(file, keyLine, "'" + key + "' is set twice (first on line " + lines.get(key) + ")");
                }
                values.put(key, p.getText());
                lines.put(key, keyLine);
            }
            return new Section(kind, name, line, values, lines);
        }

        private void expect(JsonToken actual, JsonToken expected, String message) {
            if (actual != expected) {
                throw PipelineException.at(file, line(), message);
            }
        }

        private int line() {
            return p.currentTokenLocation().getLineNr();
        }
    }
}
