package io.cdcmesh.connectors.forward;

import io.cdcmesh.common.CheckedSinkConnector;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Forwards normalized change events (after this connector's own transforms, e.g. {@code FilterChangeEvent}) to a
 * Kafka topic, keyed by primary key with the {@code cdc.uuid} header, through an idempotent producer. Offsets are
 * committed only for records whose produce was acknowledged.
 */
public class TopicForwardSinkConnector extends CheckedSinkConnector<TopicForwardSinkConfig> {
    private static final long REACH_TIMEOUT_MS = 10_000;

    @Override
    protected TopicForwardSinkConfig parse(Map<String, String> props) {
        return new TopicForwardSinkConfig(props);
    }

    @Override
    protected Map<String, List<String>> crossFieldErrors(TopicForwardSinkConfig config) {
        return config.crossFieldErrors();
    }

    /** The target cluster answers a metadata request with the producer's security settings. */
    @Override
    protected void checkReachable(TopicForwardSinkConfig config, BiConsumer<String, String> error) {
        Map<String, Object> settings = config.adminSettings();
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) REACH_TIMEOUT_MS);
        try (Admin admin = Admin.create(settings)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) REACH_TIMEOUT_MS)).clusterId()
                    .get(REACH_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            error.accept(TopicForwardSinkConfig.TARGET_BOOTSTRAP_SERVERS, "Could not reach the Kafka cluster at "
                    + settings.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG) + ": " + e);
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return TopicForwardSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return TopicForwardSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
