package io.cdcmesh.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.cdcmesh.common.CheckedSinkConnector;
import io.cdcmesh.sink.elasticsearch.transport.ClientFactory;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** Indexes the latest state of every entity into Elasticsearch; the connector only validates and hands out task configs. */
public class ElasticsearchSinkConnector extends CheckedSinkConnector<ElasticsearchSinkConfig> {
    @Override
    protected ElasticsearchSinkConfig parse(Map<String, String> props) {
        return new ElasticsearchSinkConfig(props);
    }

    @Override
    protected Map<String, List<String>> crossFieldErrors(ElasticsearchSinkConfig config) {
        return config.crossFieldErrors();
    }

    /** The cluster answers a health request with these credentials. */
    @Override
    protected void checkReachable(ElasticsearchSinkConfig config, BiConsumer<String, String> error) {
        ElasticsearchClient client = ClientFactory.create(config);
        try {
            client.cluster().health();
        } catch (Exception e) {
            error.accept(ElasticsearchSinkConfig.CONNECTION_URL, "Could not reach Elasticsearch at " + config.urls() + ": " + e.getMessage());
        } finally {
            try {
                client._transport().close();
            } catch (Exception ignored) {
                // closing a client that never connected
            }
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ElasticsearchSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return ElasticsearchSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
