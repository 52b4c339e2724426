package io.cdcmesh.sink.hive;

import io.cdcmesh.common.Backoff;
import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.common.sink.ErrantRecords;
import io.cdcmesh.common.sink.RetryPause;
import io.cdcmesh.common.sink.StaleRuns;
import io.cdcmesh.sink.hive.metrics.HiveSinkTaskMetrics;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.write.AuditWriter;
import io.cdcmesh.sink.hive.write.FileStore;
import io.cdcmesh.sink.hive.write.HiveCatalog;
import io.cdcmesh.sink.hive.write.HiveUnavailableException;
import io.cdcmesh.sink.hive.write.JdbcStore;
import io.cdcmesh.sink.hive.write.RowStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers audit rows per topic partition and writes them by size ({@code flush.size}) and by age
 * ({@code rotate.interval.ms}, kept even on an idle topic by asking the worker to call again in time). Offsets are
 * committed only up to rows that are in Hive. While Hive is unreachable the task pauses its partitions and retries
 * with capped, jittered backoff; records that can't become audit rows go to the dead-letter queue with the reason.
 */
public class HiveAuditSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(HiveAuditSinkTask.class);

    private HiveAuditSinkConfig config;
    private HiveCatalog catalog;
    private AuditWriter writer;
    private ErrantRecords deadLetters;
    private final AckTracker tracker = new AckTracker();
    private RetryPause retry;
    private HiveSinkTaskMetrics metrics;
    private final Map<TopicPartition, Buffer> buffers = new HashMap<>();

    /**
     * One consumed topic partition's rows not yet in Hive, with their acknowledgements. Keyed by the partition the
     * worker consumed (not a renamed topic): the audit's exactly-once marks and file names are per that partition.
     */
    private static final class Buffer {
        final List<AuditEvent> events = new ArrayList<>();
        final List<AckTracker.Entry> entries = new ArrayList<>();
        long firstAt;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new HiveAuditSinkConfig(props);
        catalog = new HiveCatalog(config);
        RowStore store = "jdbc".equalsIgnoreCase(config.getString(HiveAuditSinkConfig.WRITE_MODE).trim())
                ? new JdbcStore(catalog, config.partitionField())
                : new FileStore(new Configuration(), catalog, config.partitionField());
        String name = props.getOrDefault("name", "hive-audit-sink");
        String taskId = props.getOrDefault(HiveAuditSinkConnector.TASK_ID, "0");
        writer = new AuditWriter(config, catalog, store, new StaleRuns(System::currentTimeMillis, name + "-" + taskId, "the audit tables"));
        metrics = new HiveSinkTaskMetrics(writer::rowsWritten, writer::duplicatesSkipped, writer::positionRegressions, this::bufferedRows)
                .register(name, taskId);
        retry = new RetryPause(new Backoff(config.getLong(HiveAuditSinkConfig.RETRY_BACKOFF_MS),
                config.getLong(HiveAuditSinkConfig.RETRY_BACKOFF_MAX_MS)), config.getInt(HiveAuditSinkConfig.MAX_RETRIES), "Hive");
        deadLetters = new ErrantRecords(context, "set errors.tolerance=all and errors.deadletterqueue.topic.name");
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        for (SinkRecord record : records) {
            AckTracker.Entry entry = tracker.track(record);
            if (record.value() == null) {
                tracker.done(entry); // a tombstone: the DELETE event before it is the change
                continue;
            }
            try {
                AuditEvent event = AuditEvent.of(record);
                Buffer buffer = buffers.computeIfAbsent(entry.partition(), k -> new Buffer());
                if (buffer.events.isEmpty()) {
                    buffer.firstAt = now;
                }
                buffer.events.add(event);
                buffer.entries.add(entry);
            } catch (DataException e) {
                report(record, e);
                tracker.done(entry);
            }
        }
        flushDue(now);
    }

    /** Writes the buffers that are full or old enough, unless waiting to retry. */
    private void flushDue(long now) {
        if (!retry.due(context, now)) {
            return;
        }
        int flushSize = config.getInt(HiveAuditSinkConfig.FLUSH_SIZE);
        long rotate = config.getLong(HiveAuditSinkConfig.ROTATE_INTERVAL_MS);
        long nextDue = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Buffer> entry : buffers.entrySet()) {
            Buffer buffer = entry.getValue();
            if (buffer.events.isEmpty()) {
                continue;
            }
            if (buffer.events.size() >= flushSize || now - buffer.firstAt >= rotate) {
                if (!flush(entry.getKey(), buffer, now)) {
                    return;
                }
            } else {
                nextDue = Math.min(nextDue, buffer.firstAt + rotate);
            }
        }
        if (nextDue != Long.MAX_VALUE) {
            // Without this the worker may not call put() again before its commit interval: idle topics would wait.
            context.timeout(Math.max(1, nextDue - now));
        }
    }

    /** Writes one buffer; false if Hive was unreachable (the task is then paused until the retry). */
    private boolean flush(TopicPartition tp, Buffer buffer, long now) {
        try {
            for (AuditWriter.Refused refused : writer.write(tp, buffer.events)) {
                report(refused.event().record(), refused.reason());
            }
            buffer.entries.forEach(tracker::done);
            metrics.flushed(buffer.events.stream().mapToLong(AuditEvent::ts).toArray(), System.currentTimeMillis());
            buffer.events.clear();
            buffer.entries.clear();
            retry.succeeded(context);
            return true;
        } catch (HiveUnavailableException e) {
            metrics.retried();
            retry.failed(context, now, e);
            return false;
        }
    }

    private void report(SinkRecord record, DataException reason) {
        deadLetters.report(record, reason);
        metrics.deadLettered();
    }

    /** Only offsets whose rows are in Hive (and whose refused records the dead-letter queue acknowledged). */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        return deadLetters.committable(tracker, currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Writes happen in put(); preCommit reports what they made durable.
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            buffers.remove(tp);
            writer.forget(tp);
        }
        tracker.forget(partitions);
    }

    private long bufferedRows() {
        long rows = 0;
        for (Buffer buffer : buffers.values()) {
            rows += buffer.events.size();
        }
        return rows;
    }

    @Override
    public void stop() {
        if (catalog != null) {
            catalog.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
