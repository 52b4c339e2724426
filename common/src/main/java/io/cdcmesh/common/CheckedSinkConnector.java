package io.cdcmesh.common;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * What every cdc-mesh sink connector does the same way: it refuses settings that don't work together (at start and
 * in {@code validate()}, on the key they concern), checks that what the config points at answers, and numbers its
 * tasks for their metrics' names.
 */
public abstract class CheckedSinkConnector<C extends AbstractConfig> extends SinkConnector {
    /** Added to each task's config: the task's number, for its metrics' name. */
    public static final String TASK_ID = "cdcmesh.task.id";

    private Map<String, String> props;

    protected abstract C parse(Map<String, String> props);

    /** Errors of settings that are each valid but don't work together, by key. */
    protected abstract Map<String, List<String>> crossFieldErrors(C config);

    /** Reports, on its key, a server the config names that can't be reached or refuses the credentials. */
    protected abstract void checkReachable(C config, BiConsumer<String, String> error);

    @Override
    public void start(Map<String, String> props) {
        crossFieldErrors(parse(props)).forEach((key, messages) -> {
            // The value only where it can't be a secret: a refused password is not printed in the worker's log.
            throw new ConfigException(key, Redaction.shown(config(), key, props.get(key)), String.join("; ", messages));
        });
        this.props = Map.copyOf(props);
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new HashMap<>(props);
            task.put(TASK_ID, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    /** Each key's own checks, then the settings that don't work together, then reachability, each on its key. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (!result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty())) {
            return result;
        }
        C config = parse(connectorConfigs);
        Map<String, List<String>> crossField = crossFieldErrors(config);
        crossField.forEach((key, messages) -> messages.forEach(m -> value(result, key).addErrorMessage(m)));
        if (crossField.isEmpty()) {
            checkReachable(config, (key, message) -> value(result, key).addErrorMessage(message));
        }
        return result;
    }

    /** The key's entry in the result; a key outside the ConfigDef (e.g. a pass-through prefix) gets one. */
    private static ConfigValue value(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst().orElseGet(() -> {
            ConfigValue added = new ConfigValue(key);
            config.configValues().add(added);
            return added;
        });
    }

    @Override
    public void stop() {}
}
