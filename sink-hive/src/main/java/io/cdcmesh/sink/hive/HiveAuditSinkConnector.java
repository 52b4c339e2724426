package io.cdcmesh.sink.hive;

import io.cdcmesh.sink.hive.write.HiveCatalog;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/** Appends one audit row per change into Hive; the connector only validates and hands out task configs. */
public class HiveAuditSinkConnector extends SinkConnector {
    /** Added to each task's config: the task's number, for its metrics' name. */
    static final String TASK_ID = "cdcmesh.task.id";

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        HiveAuditSinkConfig config = new HiveAuditSinkConfig(props);
        config.crossFieldErrors().forEach((key, messages) -> {
            throw new org.apache.kafka.common.config.ConfigException(key, props.get(key), String.join("; ", messages));
        });
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HiveAuditSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        List<Map<String, String>> configs = new ArrayList<>();
        for (int i = 0; i < maxTasks; i++) {
            Map<String, String> task = new java.util.HashMap<>(props);
            task.put(TASK_ID, Integer.toString(i));
            configs.add(task);
        }
        return configs;
    }

    /** Each key's own checks, then the settings that do not work together, and whether HiveServer2 answers. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        if (!result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty())) {
            return result;
        }
        HiveAuditSinkConfig config = new HiveAuditSinkConfig(connectorConfigs);
        config.crossFieldErrors().forEach((key, messages) -> messages.forEach(m -> value(result, key).addErrorMessage(m)));
        if (config.crossFieldErrors().isEmpty()) {
            try (Connection ignored = HiveCatalog.connect(config)) {
                // reachable, and the credentials are accepted
            } catch (Exception e) {
                value(result, HiveAuditSinkConfig.HIVE_URL).addErrorMessage("Could not connect to HiveServer2 at "
                        + config.getString(HiveAuditSinkConfig.HIVE_URL) + ": " + e.getMessage());
            }
        }
        return result;
    }

    private static ConfigValue value(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst().orElseThrow();
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return HiveAuditSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
