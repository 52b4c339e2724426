package io.cdcmesh.runtime.embedded;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigTransformer;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;

/**
 * Resolves {@code ${env:NAME}}, {@code ${file:path:key}} and {@code ${directory:path:file}} references the way a
 * Connect worker with those config providers does, so a pipeline's secrets never sit in its file. A reference that
 * resolves to nothing is an error on its key, never passed on as text.
 */
final class ConfigProviders {
    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file|directory):[^}]*}");

    private final ConfigTransformer transformer;

    ConfigProviders() {
        Map<String, ConfigProvider> providers = new HashMap<>();
        providers.put("env", configured(new EnvVarConfigProvider()));
        providers.put("file", configured(new FileConfigProvider()));
        providers.put("directory", configured(new DirectoryConfigProvider()));
        transformer = new ConfigTransformer(providers);
    }

    private static ConfigProvider configured(ConfigProvider provider) {
        provider.configure(Map.of());
        return provider;
    }

    /** The section's settings with every reference replaced; an unresolved one fails naming its key and line. */
    PipelineFile.Section resolve(String file, PipelineFile.Section section) {
        Map<String, String> resolved = new LinkedHashMap<>(transformer.transform(section.config()).data());
        for (Map.Entry<String, String> entry : resolved.entrySet()) {
            Matcher unresolved = REFERENCE.matcher(entry.getValue() == null ? "" : entry.getValue());
            if (unresolved.find()) {
                throw PipelineException.at(file, section.lineOf(entry.getKey()), section.label() + " key '" + entry.getKey()
                        + "': " + unresolved.group() + " did not resolve (variable not set, or file or key missing)");
            }
        }
        return new PipelineFile.Section(section.kind(), section.name(), section.line(), resolved, section.lines());
    }
}
