package io.cdcmesh.transforms.predicates;

import io.cdcmesh.common.ConfigValidators;
import io.cdcmesh.transforms.ChangeEvent;
import io.cdcmesh.transforms.CrudType;
import io.cdcmesh.transforms.Recommenders;
import io.cdcmesh.transforms.Version;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.transforms.predicates.Predicate;

/**
 * True when a normalized change event's type is one of the configured types. For Kafka's own {@code Filter}
 * and any conditional SMT ({@code transforms.X.predicate}).
 */
public class ChangeTypeIs<R extends ConnectRecord<R>> implements Predicate<R>, Versioned {
    public static final String OVERVIEW_DOC = "A predicate that is true when a cdc-mesh normalized change event's"
            + " type (header cdc.type, else value field type) is one of the configured types. False for tombstones"
            + " and for records that are not normalized events.";

    public static final String TYPES = "types";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TYPES, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, ConfigValidators.described("a list of CREATE, READ, UPDATE, DELETE (any case)", ChangeTypeIs::validateTypes), Importance.HIGH,
                    "The change types that make the predicate true: a comma-separated list of CREATE, READ, UPDATE,"
                            + " DELETE (case-insensitive).",
                    "Predicate", 1, Width.MEDIUM, "Change types",
                    Recommenders.of(CrudType.NAMES));

    private Set<CrudType> types;

    @Override
    public void configure(Map<String, ?> props) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, props);
        EnumSet<CrudType> set = EnumSet.noneOf(CrudType.class);
        for (String name : config.getList(TYPES)) {
            set.add(CrudType.parse(name.trim()));
        }
        types = set;
    }

    private static void validateTypes(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> list = (List<String>) value;
        if (list == null || list.isEmpty()) {
            throw new ConfigException(name, value, "At least one change type is needed: one of " + CrudType.NAMES);
        }
        for (String type : list) {
            try {
                CrudType.parse(type.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, value, e.getMessage());
            }
        }
    }

    @Override
    public boolean test(R record) {
        Object type = ChangeEvent.read(record, ChangeEvent.HEADER_TYPE, ChangeEvent.TYPE);
        if (type == null) {
            return false;
        }
        for (CrudType t : types) {
            if (t.name().equals(type.toString())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void close() {}
}
