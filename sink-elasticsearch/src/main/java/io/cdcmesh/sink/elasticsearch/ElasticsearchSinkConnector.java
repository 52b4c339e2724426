package io.cdcmesh.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.cdcmesh.sink.elasticsearch.transport.ClientFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/** Indexes the latest state of every entity into Elasticsearch; the connector only validates and hands out task configs. */
public class ElasticsearchSinkConnector extends SinkConnector {
    /** Added to each task's config: the task's number, for its metrics' name. */
    static final String TASK_ID = "cdcmesh.task.id";

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        ElasticsearchSinkConfig config = new ElasticsearchSinkConfig(props);
        config.crossFieldErrors().forEach((key, messages) -> {
            throw new org.apache.kafka.common.config.ConfigException(key, props.get(key), String.join("; ", messages));
        });
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ElasticsearchSinkTask.class;
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

    /** Each key's own checks, then the settings that do not work together and the cluster's reachability, on their keys. */
    @Override
    public Config validate(Map<String, String> connectorConfigs) {
        Config result = super.validate(connectorConfigs);
        boolean valid = result.configValues().stream().allMatch(v -> v.errorMessages().isEmpty());
        if (!valid) {
            return result;
        }
        ElasticsearchSinkConfig config = new ElasticsearchSinkConfig(connectorConfigs);
        config.crossFieldErrors().forEach((key, messages) -> messages.forEach(m -> value(result, key).addErrorMessage(m)));
        if (config.crossFieldErrors().isEmpty()) {
            ElasticsearchClient client = ClientFactory.create(config);
            try {
                client.cluster().health();
            } catch (Exception e) {
                value(result, ElasticsearchSinkConfig.CONNECTION_URL).addErrorMessage(
                        "Could not reach Elasticsearch at " + config.urls() + ": " + e.getMessage());
            } finally {
                try {
                    client._transport().close();
                } catch (Exception ignored) {
                    // closing a client that never connected
                }
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
        return ElasticsearchSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
