package io.cdcmesh.transforms;

import io.cdcmesh.common.ConfigValidators;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Key columns given in config for tables without a primary key, in the syntax of Debezium's
 * {@code message.key.columns}: {@code <db.table regex>:<column>[,<column>...]}, entries separated by
 * {@code ;}, e.g. {@code shop.events:event_id;audit\..*:tenant,seq}. The first entry whose regex matches the
 * whole {@code db.table} (case-insensitively) wins.
 */
final class KeyColumns {
    private static final List<String> NONE = List.of();

    private record Rule(Pattern table, List<String> columns) {}

    private final List<Rule> rules;
    private final Map<String, List<String>> byEntity = new ConcurrentHashMap<>();

    private KeyColumns(List<Rule> rules) {
        this.rules = rules;
    }

    static KeyColumns parse(String configKey, String spec) {
        List<Rule> rules = new ArrayList<>();
        if (spec != null && !spec.isBlank()) {
            for (String entry : spec.split(";")) {
                if (entry.isBlank()) {
                    continue;
                }
                int colon = entry.lastIndexOf(':');
                if (colon <= 0 || colon == entry.length() - 1) {
                    throw new ConfigException(configKey, spec,
                            "Entry '" + entry.trim() + "' is not of the form <db.table regex>:<column>[,<column>...]");
                }
                Pattern table;
                try {
                    table = Pattern.compile(entry.substring(0, colon).trim(), Pattern.CASE_INSENSITIVE);
                } catch (PatternSyntaxException e) {
                    throw new ConfigException(configKey, spec, "Table regex in entry '" + entry.trim() + "' is invalid: " + e.getDescription());
                }
                List<String> columns = Arrays.stream(entry.substring(colon + 1).split(",")).map(String::trim).toList();
                if (columns.stream().anyMatch(String::isEmpty)) {
                    throw new ConfigException(configKey, spec, "Entry '" + entry.trim() + "' has an empty column name");
                }
                rules.add(new Rule(table, columns));
            }
        }
        return new KeyColumns(List.copyOf(rules));
    }

    static ConfigDef.Validator validator() {
        return ConfigValidators.described("<db.table regex>:<column>[,<column>...] entries separated by ';'",
                (name, value) -> parse(name, (String) value));
    }

    /** The configured key columns of {@code entity} ({@code db.table}), or null if none are configured. */
    List<String> forEntity(String entity) {
        if (rules.isEmpty()) {
            return null;
        }
        List<String> columns = byEntity.computeIfAbsent(entity, e -> {
            for (Rule rule : rules) {
                if (rule.table().matcher(e).matches()) {
                    return rule.columns();
                }
            }
            return NONE;
        });
        return columns == NONE ? null : columns;
    }
}
