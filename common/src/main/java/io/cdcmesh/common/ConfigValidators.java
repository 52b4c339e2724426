package io.cdcmesh.common;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Config validators whose descriptions, shown by Connect's validate call and the generated docs, are stable. */
public final class ConfigValidators {
    private ConfigValidators() {}

    /** A validator running {@code check}, described as {@code description}. */
    public static ConfigDef.Validator described(String description, BiConsumer<String, Object> check) {
        return new ConfigDef.Validator() {
            @Override
            public void ensureValid(String name, Object value) {
                check.accept(name, value);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    /** One of {@code values}, in any case. */
    public static ConfigDef.Validator oneOf(String... values) {
        List<String> allowed = List.of(values);
        return described("one of " + String.join(", ", allowed) + " (any case)", (name, value) -> {
            if (value == null || !allowed.contains(value.toString().trim().toLowerCase(Locale.ROOT))) {
                throw new ConfigException(name, value, "Must be one of " + allowed);
            }
        });
    }
}
