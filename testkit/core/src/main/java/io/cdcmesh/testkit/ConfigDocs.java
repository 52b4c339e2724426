package io.cdcmesh.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * Renders a Markdown configuration reference from {@link ConfigDef}s, so the docs cannot drift from the code,
 * and checks a checked-in reference against it.
 */
public final class ConfigDocs {
    public static final String UPDATE_PROPERTY = "cdcmesh.docs.update";

    private final StringBuilder out = new StringBuilder();

    public ConfigDocs(String title, String intro) {
        out.append("# ").append(title).append("\n\n");
        out.append("<!-- Generated from the ConfigDefs by ConfigReferenceTest; do not edit by hand. -->\n\n");
        out.append(intro.strip()).append("\n");
    }

    public ConfigDocs section(String heading, String className, String overview, ConfigDef def) {
        out.append("\n## ").append(heading).append("\n\n");
        out.append("`").append(className).append("`\n\n");
        out.append(overview.strip()).append("\n\n");
        List<ConfigKey> keys = new ArrayList<>(def.configKeys().values());
        List<String> groups = def.groups();
        keys.sort(Comparator.comparingInt((ConfigKey k) -> k.group == null ? Integer.MAX_VALUE : groups.indexOf(k.group))
                .thenComparingInt(k -> k.orderInGroup)
                .thenComparing(k -> k.name));
        out.append("| Key | Type | Default | Valid values | Importance | Description |\n");
        out.append("|---|---|---|---|---|---|\n");
        for (ConfigKey key : keys) {
            out.append("| `").append(key.name).append("` | ")
                    .append(key.type.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(defaultOf(key)).append(" | ")
                    .append(key.validator == null ? "" : cell(key.validator.toString())).append(" | ")
                    .append(key.importance.name().toLowerCase(Locale.ROOT)).append(" | ")
                    .append(cell(key.documentation)).append(" |\n");
        }
        return this;
    }

    public String markdown() {
        return out.toString();
    }

    /**
     * Fails if {@code file} differs from the rendered reference; with {@code -Dcdcmesh.docs.update=true} it
     * writes the file instead.
     */
    public void checkOrUpdate(Path file) {
        String expected = markdown();
        try {
            if (Boolean.getBoolean(UPDATE_PROPERTY)) {
                Files.writeString(file, expected, StandardCharsets.UTF_8);
                return;
            }
            String actual = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
            if (!actual.equals(expected)) {
                throw new AssertionError(file.toAbsolutePath() + " is out of date with the ConfigDefs; regenerate it with"
                        + " mvn test -pl <module> -D" + UPDATE_PROPERTY + "=true");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String defaultOf(ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        Object value = key.defaultValue;
        if (value instanceof Password) {
            return "(hidden)";
        }
        if (value instanceof List<?> list) {
            value = String.join(",", list.stream().map(String::valueOf).toList());
        }
        String text = String.valueOf(value);
        return text.isEmpty() ? "\"\"" : "`" + text + "`";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
