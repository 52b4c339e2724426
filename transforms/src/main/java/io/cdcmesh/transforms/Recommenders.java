package io.cdcmesh.transforms;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;

/** Recommenders for enum-valued config keys, so Connect's validate call lists the allowed values. */
public final class Recommenders {
    private Recommenders() {}

    public static ConfigDef.Recommender of(List<String> values) {
        List<Object> allowed = List.copyOf(values);
        return new ConfigDef.Recommender() {
            @Override
            public List<Object> validValues(String name, Map<String, Object> parsedConfig) {
                return allowed;
            }

            @Override
            public boolean visible(String name, Map<String, Object> parsedConfig) {
                return true;
            }
        };
    }

    public static ConfigDef.Recommender of(String... values) {
        return of(List.of(values));
    }
}
