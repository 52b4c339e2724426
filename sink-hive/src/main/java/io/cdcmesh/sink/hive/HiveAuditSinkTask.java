package io.cdcmesh.sink.hive;

import io.cdcmesh.common.Backoff;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
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
    private ErrantRecordReporter reporter;
    private Backoff backoff;
    private HiveSinkTaskMetrics metrics;
    private final Map<TopicPartition, Buffer> buffers = new HashMap<>();
    private final Map<TopicPartition, Long> committable = new HashMap<>();
    private final List<Future<Void>> reports = new ArrayList<>();
    private int attempts;
    private long retryAt;
    private boolean paused;

    /** One topic partition's rows not yet in Hive, and the offset after the last record seen. */
    private static final class Buffer {
        final List<AuditEvent> events = new ArrayList<>();
        long firstAt;
        long nextOffset = -1;
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
        writer = new AuditWriter(config, catalog, store);
        metrics = new HiveSinkTaskMetrics(writer::rowsWritten, writer::duplicatesSkipped, this::bufferedRows)
                .register(props.getOrDefault("name", "hive-audit-sink"), props.getOrDefault(HiveAuditSinkConnector.TASK_ID, "0"));
        backoff = new Backoff(config.getLong(HiveAuditSinkConfig.RETRY_BACKOFF_MS), config.getLong(HiveAuditSinkConfig.RETRY_BACKOFF_MAX_MS));
        try {
            reporter = context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null;
        }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            Buffer buffer = buffers.computeIfAbsent(tp, k -> new Buffer());
            buffer.nextOffset = record.kafkaOffset() + 1;
            if (record.value() == null) {
                continue; // a tombstone: the DELETE event before it is the change
            }
            try {
                AuditEvent event = AuditEvent.of(record);
                if (buffer.events.isEmpty()) {
                    buffer.firstAt = now;
                }
                buffer.events.add(event);
            } catch (DataException e) {
                report(record, e);
            }
        }
        flushDue(now, false);
    }

    /** Writes the buffers that are full or old enough (all of them if {@code force}), unless waiting to retry. */
    private void flushDue(long now, boolean force) {
        if (now < retryAt) {
            context.timeout(retryAt - now);
            return;
        }
        int flushSize = config.getInt(HiveAuditSinkConfig.FLUSH_SIZE);
        long rotate = config.getLong(HiveAuditSinkConfig.ROTATE_INTERVAL_MS);
        long nextDue = Long.MAX_VALUE;
        for (Map.Entry<TopicPartition, Buffer> entry : buffers.entrySet()) {
            Buffer buffer = entry.getValue();
            if (buffer.events.isEmpty()) {
                if (buffer.nextOffset >= 0) {
                    committable.put(entry.getKey(), buffer.nextOffset);
                }
                continue;
            }
            if (force || buffer.events.size() >= flushSize || now - buffer.firstAt >= rotate) {
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
            committable.put(tp, buffer.nextOffset);
            metrics.flushed(buffer.events.stream().mapToLong(AuditEvent::ts).toArray(), System.currentTimeMillis());
            buffer.events.clear();
            attempts = 0;
            retryAt = 0;
            if (paused) {
                context.resume(context.assignment().toArray(TopicPartition[]::new));
                paused = false;
                LOG.info("Hive is reachable again; resumed {}", context.assignment());
            }
            return true;
        } catch (HiveUnavailableException e) {
            attempts++;
            metrics.retried();
            int maxRetries = config.getInt(HiveAuditSinkConfig.MAX_RETRIES);
            if (maxRetries >= 0 && attempts > maxRetries) {
                throw new ConnectException("Hive is still unreachable after " + maxRetries + " retries", e);
            }
            long delay = backoff.delayMs(attempts - 1);
            retryAt = now + delay;
            if (!paused) {
                context.pause(context.assignment().toArray(TopicPartition[]::new));
                paused = true;
            }
            context.timeout(delay);
            LOG.warn("Writing to Hive failed (attempt {}), retrying in {} ms with partitions paused: {}", attempts, delay, e.getMessage());
            return false;
        }
    }

    private void report(SinkRecord record, DataException reason) {
        if (reporter == null) {
            throw new ConnectException("No dead-letter queue to send the record at " + AuditEvent.where(record) + " to", reason);
        }
        LOG.warn("Record at {} sent to the dead-letter queue: {}", AuditEvent.where(record), reason.getMessage());
        reports.add(reporter.report(record, reason));
        metrics.deadLettered();
    }

    /** Only offsets whose rows are in Hive (and whose refused records the dead-letter queue acknowledged). */
    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        for (Future<Void> report : reports) {
            try {
                report.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Map.of();
            } catch (ExecutionException e) {
                throw new ConnectException("The dead-letter queue did not take a record", e.getCause());
            }
        }
        reports.clear();
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        committable.forEach((tp, offset) -> {
            if (currentOffsets.containsKey(tp)) {
                offsets.put(tp, new OffsetAndMetadata(offset));
            }
        });
        return offsets;
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // Writes happen in put(); preCommit reports what they made durable.
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            buffers.remove(tp);
            committable.remove(tp);
            writer.forget(tp);
        }
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
