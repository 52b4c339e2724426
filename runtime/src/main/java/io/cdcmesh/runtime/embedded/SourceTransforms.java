package io.cdcmesh.runtime.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A source connector's config with its {@code ${env:..}}/{@code ${file:..}} references resolved, and its transform
 * chain built from the plugin path as the embedded runtime and a Connect worker build it; for tools that need to
 * know what the source would emit without running it ({@code cdc-mesh schemas check}).
 */
public final class SourceTransforms implements UnaryOperator<SourceRecord>, AutoCloseable {
    private final Map<String, String> config;
    private final TransformChain<SourceRecord> chain;

    private SourceTransforms(Map<String, String> config, TransformChain<SourceRecord> chain) {
        this.config = config;
        this.chain = chain;
    }

    /** Resolves {@code section}'s references and builds its transforms; problems are reported with file, line and key. */
    public static SourceTransforms open(String file, PipelineFile.Section section, String pluginPath) {
        PipelineFile.Section resolved = new ConfigProviders().resolve(file, section);
        Map<String, String> pluginSettings = new HashMap<>();
        pluginSettings.put("plugin.path", pluginPath);
        pluginSettings.put("plugin.discovery", "service_load");
        Plugins plugins = new Plugins(pluginSettings);
        List<String> errors = new ArrayList<>();
        TransformChain<SourceRecord> chain = TransformChain.build(resolved.config(), plugins::pluginClass,
                (key, message) -> errors.add(file + ":" + resolved.lineOf(key) + ": " + resolved.label() + " key '" + key + "': " + message));
        if (chain == null || !errors.isEmpty()) {
            throw new PipelineException(String.join("\n", errors));
        }
        return new SourceTransforms(resolved.config(), chain);
    }

    /** The resolved settings. */
    public Map<String, String> config() {
        return config;
    }

    /** The record as the chain leaves it, or null if a transform drops it. */
    @Override
    public SourceRecord apply(SourceRecord record) {
        return chain.apply(record);
    }

    @Override
    public void close() {
        chain.close();
    }
}
