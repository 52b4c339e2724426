package io.cdcmesh.transforms;

import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** Config validators whose description (shown in Connect's validate call and the generated docs) is readable and stable. */
public final class Validators {
    private Validators() {}

    /** One of {@code values}, in any letter case. */
    public static ConfigDef.Validator oneOf(String... values) {
        List<String> allowed = List.of(values);
        return described("one of " + String.join(", ", allowed) + " (any case)", (name, value) -> {
            String text = value == null ? null : value.toString().trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(text)) {
                throw new ConfigException(name, value, "Must be one of " + allowed);
            }
        });
    }

    /** A validator that checks with {@code check} and describes itself as {@code description}. */
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
}
