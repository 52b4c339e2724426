package io.cdcmesh.transforms;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelVariableResolver;
import io.cdcmesh.transforms.FilterChangeEventConfig.Action;
import io.cdcmesh.transforms.FilterChangeEventConfig.OnError;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/** Keeps or drops normalized change events by a Google CEL condition. */
public class FilterChangeEvent<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {
    public static final String OVERVIEW_DOC = "Keeps or drops cdc-mesh normalized change events by a condition"
            + " written in Google CEL (Common Expression Language) over type, entity, id, uuid, ts, position,"
            + " before and after. No scripting engine: CEL is side-effect free and compiled once. Tombstones"
            + " (null values) pass unchanged.";

    public static final ConfigDef CONFIG_DEF = FilterChangeEventConfig.CONFIG_DEF;

    private CelCondition condition;
    private Action action;
    private OnError onError;

    @Override
    public void configure(Map<String, ?> props) {
        FilterChangeEventConfig config = new FilterChangeEventConfig(props);
        condition = CelCondition.compile(FilterChangeEventConfig.CONDITION, config.getString(FilterChangeEventConfig.CONDITION));
        action = config.action();
        onError = config.onError();
    }

    @Override
    public R apply(R record) {
        Object value = record.value();
        if (value == null) {
            return record;
        }
        if (DeadLetters.isDeadLetter(record)) {
            return record;
        }
        if (ChangeEvent.valueField(value, ChangeEvent.TYPE) == null) {
            throw new DataException("FilterChangeEvent expects normalized change events (apply NormalizeChangeEvent"
                    + " first); the record from " + coordinates(record) + " has no field 'type'");
        }
        boolean matches;
        try {
            matches = condition.test(variables(value));
        } catch (CelEvaluationException | RuntimeException e) {
            switch (onError) {
                case KEEP:
                    return record;
                case DROP:
                    return null;
                default:
                    throw new DataException("Condition '" + condition.expression() + "' in '" + FilterChangeEventConfig.CONDITION
                            + "' could not be evaluated for the record from " + coordinates(record) + ": " + e.getMessage(), e);
            }
        }
        return matches == (action == Action.KEEP) ? record : null;
    }

    private static CelVariableResolver variables(Object value) {
        return name -> {
            switch (name) {
                case "type", "entity", "id", "uuid", "ts", "position", "before", "after" -> {
                    return Optional.of(CelValues.of(ChangeEvent.valueField(value, name)));
                }
                default -> {
                    return Optional.empty();
                }
            }
        };
    }

    private static String coordinates(ConnectRecord<?> record) {
        return "topic " + record.topic() + " partition " + record.kafkaPartition();
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
    public void close() {
        condition = null;
    }
}
