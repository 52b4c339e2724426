package io.cdcmesh.transforms;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.transforms.Transformation;

/**
 * Drops a normalized change event whose uuid was already seen within a time-to-live. The memory is per
 * transform instance (one per task), bounded in size, and not persisted: it catches replays within a task's
 * life (a retried batch, a rebalance back to the same task), not across restarts.
 */
public class DropDuplicates<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {
    public static final String OVERVIEW_DOC = "Drops a cdc-mesh normalized change event whose uuid (header"
            + " cdc.uuid, else value field uuid) was already seen within a time-to-live, remembering at most a"
            + " configured number of uuids. Tombstones pass unchanged.";

    public static final String TTL_MS = "ttl.ms";
    public static final String MAX_ENTRIES = "max.entries";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TTL_MS, Type.LONG, 3_600_000L, ConfigDef.Range.between(1, Long.MAX_VALUE / 1_000_000), Importance.MEDIUM,
                    "How long a uuid is remembered after it was first seen, in milliseconds. An event whose uuid was"
                            + " seen less than this long ago is dropped.",
                    "Deduplication", 1, Width.SHORT, "Time to live (ms)")
            .define(MAX_ENTRIES, Type.LONG, 100_000L, ConfigDef.Range.between(1, 100_000_000), Importance.MEDIUM,
                    "The most uuids remembered at once; past it the least recently used are forgotten first"
                            + " (about 150 bytes each).",
                    "Deduplication", 2, Width.SHORT, "Maximum remembered uuids");

    private final Ticker ticker;
    private Cache<String, Boolean> seen;

    public DropDuplicates() {
        this(Ticker.systemTicker());
    }

    DropDuplicates(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public void configure(Map<String, ?> props) {
        AbstractConfig config = new AbstractConfig(CONFIG_DEF, props);
        seen = Caffeine.newBuilder()
                .expireAfterWrite(Duration.ofMillis(config.getLong(TTL_MS)))
                .maximumSize(config.getLong(MAX_ENTRIES))
                .ticker(ticker)
                .executor(Runnable::run)
                .build();
    }

    @Override
    public R apply(R record) {
        if (record.value() == null && record.headers().lastWithName(ChangeEvent.HEADER_UUID) == null) {
            return record;
        }
        if (DeadLetters.isDeadLetter(record)) {
            return record;
        }
        Object uuid = ChangeEvent.read(record, ChangeEvent.HEADER_UUID, ChangeEvent.UUID);
        if (uuid == null) {
            throw new DataException("DropDuplicates needs the event's uuid (header '" + ChangeEvent.HEADER_UUID
                    + "' or value field '" + ChangeEvent.UUID + "'); the record from topic " + record.topic()
                    + " partition " + record.kafkaPartition() + " has neither (apply NormalizeChangeEvent first)");
        }
        boolean[] first = {false};
        seen.get(uuid.toString(), k -> {
            first[0] = true;
            return Boolean.TRUE;
        });
        return first[0] ? record : null;
    }

    /** How many uuids are remembered now (after pending expirations). */
    long remembered() {
        seen.cleanUp();
        return seen.estimatedSize();
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
        if (seen != null) {
            seen.invalidateAll();
        }
    }
}
