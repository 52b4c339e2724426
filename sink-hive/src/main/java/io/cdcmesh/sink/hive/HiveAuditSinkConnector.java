package io.cdcmesh.sink.hive;

import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/** Appends one audit row per change into Hive; the connector only validates and hands out task configs. */
public class HiveAuditSinkConnector extends SinkConnector {
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
            configs.add(props);
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
            Properties credentials = new Properties();
            credentials.setProperty("user", config.getString(HiveAuditSinkConfig.HIVE_USER));
            credentials.setProperty("password", config.password() == null ? "" : config.password().value());
            try (Connection ignored = DriverManager.getConnection(config.getString(HiveAuditSinkConfig.HIVE_URL), credentials)) {
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
