package io.cdcmesh.sink.hive;

import io.cdcmesh.common.CheckedSinkConnector;
import io.cdcmesh.sink.hive.write.HiveCatalog;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/** Appends one audit row per change into Hive; the connector only validates and hands out task configs. */
public class HiveAuditSinkConnector extends CheckedSinkConnector<HiveAuditSinkConfig> {
    @Override
    protected HiveAuditSinkConfig parse(Map<String, String> props) {
        return new HiveAuditSinkConfig(props);
    }

    @Override
    protected Map<String, List<String>> crossFieldErrors(HiveAuditSinkConfig config) {
        return config.crossFieldErrors();
    }

    /** HiveServer2 accepts a connection with these credentials. */
    @Override
    protected void checkReachable(HiveAuditSinkConfig config, BiConsumer<String, String> error) {
        try (Connection ignored = HiveCatalog.connect(config)) {
            // reachable, and the credentials are accepted
        } catch (Exception e) {
            error.accept(HiveAuditSinkConfig.HIVE_URL, "Could not connect to HiveServer2 at "
                    + config.getString(HiveAuditSinkConfig.HIVE_URL) + ": " + e.getMessage());
        }
    }

    @Override
    public Class<? extends Task> taskClass() {
        return HiveAuditSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return HiveAuditSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }
}
