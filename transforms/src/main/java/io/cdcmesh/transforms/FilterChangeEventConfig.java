package io.cdcmesh.transforms;

import io.cdcmesh.common.ConfigValidators;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.NonEmptyString;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Configuration of {@link FilterChangeEvent}. */
public final class FilterChangeEventConfig extends AbstractConfig {
    public static final String CONDITION = "condition";
    public static final String ACTION = "action";
    public static final String ON_ERROR = "on.error";

    enum Action { KEEP, DROP }

    enum OnError { FAIL, KEEP, DROP }

    private static final String GROUP = "Filter";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CONDITION, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new NonEmptyString(), Importance.HIGH,
                    "A Google CEL expression over the normalized event that evaluates to a bool. Variables: type"
                            + " (string: CREATE, READ, UPDATE, DELETE), entity (string, db.table), id (string),"
                            + " uuid (string), ts (int, epoch ms), position (int), before and after (the row images"
                            + " as maps from column name to value, or null where the event has none). Integers are"
                            + " int, floating point and DECIMAL columns are double. Example: \"type == 'UPDATE' &&"
                            + " before.launch_date != after.launch_date\". An expression that does not compile is"
                            + " refused when the transform is configured.",
                    GROUP, 1, Width.LONG, "Condition (CEL)")
            .define(ACTION, Type.STRING, "keep", ConfigValidators.oneOf("keep", "drop"), Importance.MEDIUM,
                    "'keep': pass on the events for which the condition is true and drop the rest. 'drop': drop the"
                            + " events for which it is true and pass on the rest.",
                    GROUP, 2, Width.SHORT, "Action on match", Recommenders.of("keep", "drop"))
            .define(ON_ERROR, Type.STRING, "fail", ConfigValidators.oneOf("fail", "keep", "drop"),
                    Importance.MEDIUM,
                    "What to do when the condition cannot be evaluated for an event (e.g. it reads a column the"
                            + " row does not have). 'fail' (the default): raise a DataException naming the event, so"
                            + " Connect's error handling (errors.tolerance, the dead-letter queue) decides; 'keep' or"
                            + " 'drop' the event.",
                    GROUP, 3, Width.SHORT, "On evaluation error", Recommenders.of("fail", "keep", "drop"));

    public FilterChangeEventConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    Action action() {
        return Action.valueOf(getString(ACTION).toUpperCase(Locale.ROOT));
    }

    OnError onError() {
        return OnError.valueOf(getString(ON_ERROR).toUpperCase(Locale.ROOT));
    }
}
