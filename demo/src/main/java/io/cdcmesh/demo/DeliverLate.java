package io.cdcmesh.demo;

import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * The demo's stand-in for the network: holds each record it sees for {@code delay.ms} before passing it on, so that
 * a change reaches its sink after later changes to the same row already have. Only for showing what the sinks do
 * with late events; never for a real pipeline.
 */
public class DeliverLate<R extends ConnectRecord<R>> implements Transformation<R> {
    public static final String DELAY_MS = "delay.ms";
    private static final ConfigDef CONFIG = new ConfigDef()
            .define(DELAY_MS, ConfigDef.Type.LONG, 3000L, ConfigDef.Range.between(0, 60_000), ConfigDef.Importance.HIGH,
                    "How long each record is held back.");

    private long delayMs;

    @Override
    public void configure(Map<String, ?> configs) {
        delayMs = new AbstractConfig(CONFIG, configs).getLong(DELAY_MS);
    }

    @Override
    public R apply(R record) {
        try {
            Thread.sleep(delayMs); // the point of this transform: a late delivery
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("interrupted while holding a record back", e);
        }
        return record;
    }

    @Override
    public ConfigDef config() {
        return CONFIG;
    }

    @Override
    public void close() {}
}
