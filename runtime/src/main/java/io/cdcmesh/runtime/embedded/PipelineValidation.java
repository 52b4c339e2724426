package io.cdcmesh.runtime.embedded;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Reads and checks a pipeline file before anything starts: unknown keys, unresolved {@code ${env:..}} references, each
 * connector's own {@code validate()} (which also checks that its servers answer), each transform chain, and the
 * sinks' topic subscriptions. All problems are reported together, each with its file line and key.
 */
final class PipelineValidation {
    /** A sink ready to host: its connector (validated, not started), class loader, subscription and chain. */
    record PreparedSink(PipelineFile.Section section, SinkConnector connector, ClassLoader loader,
            Predicate<String> topics, TransformChain<SinkRecord> chain, boolean tolerateErrors) {}

    /** Everything a pipeline needs to start. */
    record Prepared(PipelineFile file, RuntimeSettings runtime, Plugins plugins, PipelineFile.Section source,
            TransformChain<SourceRecord> sourceChain, boolean sourceToleratesErrors, List<PreparedSink> sinks) {}

    private PipelineValidation() {}

    /** @throws PipelineException listing every problem found */
    static Prepared prepare(PipelineFile file, String defaultPluginPath) {
        ConfigProviders providers = new ConfigProviders();
        RuntimeSettings runtime = RuntimeSettings.from(file, providers.resolve(file.file(), file.runtime()), defaultPluginPath);
        PipelineFile.Section source = providers.resolve(file.file(), file.source());
        List<PipelineFile.Section> sinkSections = file.sinks().stream().map(s -> providers.resolve(file.file(), s)).toList();

        Map<String, String> pluginSettings = new HashMap<>();
        pluginSettings.put("plugin.path", runtime.pluginPath());
        pluginSettings.put("plugin.discovery", "service_load");
        Plugins plugins = new Plugins(pluginSettings);
        List<String> errors = new ArrayList<>();

        TransformChain<SourceRecord> sourceChain = null;
        Connector sourceConnector = connector(plugins, file, source, SourceConnector.class, errors);
        if (sourceConnector != null) {
            int before = errors.size();
            validate(file, source, sourceConnector, null, errors);
            if (errors.size() == before) {
                EmptyGtidHistory.problem(source.config()).ifPresent(p -> problem(file, source, errors).accept("database.hostname", p));
            }
            sourceChain = TransformChain.build(source.config(), plugins::pluginClass, problem(file, source, errors));
        }

        List<PreparedSink> sinks = new ArrayList<>();
        for (PipelineFile.Section sink : sinkSections) {
            Connector connector = connector(plugins, file, sink, SinkConnector.class, errors);
            if (connector == null) {
                continue;
            }
            ClassLoader loader = connector.getClass().getClassLoader();
            validate(file, sink, connector, loader, errors);
            Predicate<String> topics = topics(file, sink, errors);
            TransformChain<SinkRecord> chain;
            try (LoaderSwap ignored = plugins.withClassLoader(loader)) {
                chain = TransformChain.build(sink.config(), plugins::pluginClass, problem(file, sink, errors));
            }
            if (MaskedColumns.looksUp(sink.config())) {
                MaskedColumns.maskingKey(source.config()).ifPresent(key -> problem(file, source, errors)
                        .accept(key, MaskedColumns.problem(source.name(), key, sink.name())));
            }
            boolean tolerate = tolerance(file, sink, errors);
            if (chain != null && topics != null) {
                sinks.add(new PreparedSink(sink, (SinkConnector) connector, loader, topics, chain, tolerate));
            }
        }
        boolean sourceTolerates = tolerance(file, source, errors);
        if (!errors.isEmpty()) {
            throw new PipelineException(String.join("\n", errors));
        }
        return new Prepared(file, runtime, plugins, source, sourceChain, sourceTolerates, sinks);
    }

    private static BiConsumer<String, String> problem(PipelineFile file, PipelineFile.Section section, List<String> errors) {
        return (key, message) -> errors.add(file.file() + ":" + section.lineOf(key) + ": " + section.label() + " key '" + key
                + "': " + message);
    }

    private static Connector connector(Plugins plugins, PipelineFile file, PipelineFile.Section section,
            Class<? extends Connector> kind, List<String> errors) {
        String className = section.config().get("connector.class");
        if (className == null || className.isBlank()) {
            problem(file, section, errors).accept("connector.class", "missing");
            return null;
        }
        try {
            Connector connector = plugins.newConnector(className.trim());
            if (!kind.isInstance(connector)) {
                problem(file, section, errors).accept("connector.class", className + " is not a "
                        + (kind == SinkConnector.class ? "sink" : "source") + " connector");
                return null;
            }
            return connector;
        } catch (RuntimeException e) {
            problem(file, section, errors).accept("connector.class", "no connector " + className
                    + " on the class path or the plugin path (" + e.getMessage() + ")");
            return null;
        }
    }

    private static void validate(PipelineFile file, PipelineFile.Section section, Connector connector, ClassLoader loader,
            List<String> errors) {
        Config result;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        if (loader != null) {
            Thread.currentThread().setContextClassLoader(loader);
        }
        try {
            result = connector.validate(section.config());
        } catch (RuntimeException e) {
            problem(file, section, errors).accept("connector.class", "validate() failed: " + e);
            return;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        for (ConfigValue value : result.configValues()) {
            for (String message : value.errorMessages()) {
                problem(file, section, errors).accept(value.name(), message);
            }
        }
    }

    /** A sink's subscription from {@code topics} or {@code topics.regex}, exactly one of them, as in Connect. */
    private static Predicate<String> topics(PipelineFile file, PipelineFile.Section sink, List<String> errors) {
        String list = sink.config().get("topics");
        String regex = sink.config().get("topics.regex");
        boolean hasList = list != null && !list.isBlank();
        boolean hasRegex = regex != null && !regex.isBlank();
        if (hasList == hasRegex) {
            problem(file, sink, errors).accept(hasList ? "topics.regex" : "topics",
                    "set exactly one of 'topics' and 'topics.regex' (as for Kafka Connect)");
            return null;
        }
        if (hasList) {
            List<String> names = List.of(list.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            return names::contains;
        }
        try {
            Pattern pattern = Pattern.compile(regex.trim());
            return topic -> pattern.matcher(topic).matches();
        } catch (PatternSyntaxException e) {
            problem(file, sink, errors).accept("topics.regex", "not a valid regular expression: " + e.getDescription());
            return null;
        }
    }

    private static boolean tolerance(PipelineFile file, PipelineFile.Section section, List<String> errors) {
        String value = section.config().getOrDefault("errors.tolerance", "none").trim();
        if (!value.equals("none") && !value.equals("all")) {
            problem(file, section, errors).accept("errors.tolerance", "must be 'none' or 'all'");
        }
        return value.equals("all");
    }
}
