package io.cdcmesh.sink.elasticsearch;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConfig.MalformedDocuments;
import io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConfig.NullValues;
import io.cdcmesh.common.Backoff;
import io.cdcmesh.sink.elasticsearch.bulk.BulkMetrics;
import io.cdcmesh.sink.elasticsearch.bulk.BulkWriter;
import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.common.sink.ErrantRecords;
import io.cdcmesh.common.sink.PausedPartitions;
import io.cdcmesh.sink.elasticsearch.index.IndexManager;
import io.cdcmesh.sink.elasticsearch.index.IndexNames;
import io.cdcmesh.sink.elasticsearch.lookup.SourceLookup;
import io.cdcmesh.sink.elasticsearch.metrics.SinkTaskMetrics;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import io.cdcmesh.sink.elasticsearch.request.ChangeActions;
import io.cdcmesh.sink.elasticsearch.transport.ClientFactory;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes normalized change events to Elasticsearch. Records are batched and sent asynchronously; offsets are
 * committed only once Elasticsearch has acknowledged every record up to them ({@link #preCommit}); when too
 * many records are unacknowledged the task pauses its partitions instead of buffering more.
 */
public class ElasticsearchSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchSinkTask.class);

    private ElasticsearchSinkConfig config;
    private ElasticsearchClient client;
    private ChangeActions actions;
    private AckTracker tracker;
    private BulkWriter writer;
    private BulkMetrics metrics;
    private ErrantRecords deadLetters;
    private NullValues nullValues;
    private MalformedDocuments malformedDocuments;
    private int maxBuffered;
    private SinkTaskMetrics jmx;
    private SourceLookup lookup;
    private final PausedPartitions paused = new PausedPartitions();

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new ElasticsearchSinkConfig(props);
        nullValues = config.nullValues();
        malformedDocuments = config.malformedDocuments();
        maxBuffered = config.getInt(ElasticsearchSinkConfig.MAX_BUFFERED_RECORDS);
        deadLetters = new ErrantRecords(context, "set errors.tolerance=all and errors.deadletterqueue.topic.name, or "
                + ElasticsearchSinkConfig.BEHAVIOR_ON_MALFORMED_DOCS + "=warn");
        client = ClientFactory.create(config);
        actions = new ChangeActions(new IndexNames(config.getString(ElasticsearchSinkConfig.INDEX_NAME_PATTERN),
                config.topicIndexMap()), config.namespacedIds());
        IndexManager indices = new IndexManager(client, config.getInt(ElasticsearchSinkConfig.INDEX_SHARDS),
                config.getInt(ElasticsearchSinkConfig.INDEX_REPLICAS), config.getLong(ElasticsearchSinkConfig.INDEX_GC_DELETES_MS),
                config.namespacedIds());
        tracker = new AckTracker();
        String connector = props.getOrDefault("name", "elasticsearch-sink");
        metrics = new BulkMetrics("Elasticsearch sink '" + connector + "' task " + props.getOrDefault(ElasticsearchSinkConnector.TASK_ID, "0"));
        BulkWriter.Settings settings = new BulkWriter.Settings(
                config.getInt(ElasticsearchSinkConfig.BATCH_SIZE),
                config.getLong(ElasticsearchSinkConfig.BULK_SIZE_BYTES),
                config.getLong(ElasticsearchSinkConfig.LINGER_MS),
                config.getInt(ElasticsearchSinkConfig.MAX_IN_FLIGHT_REQUESTS),
                config.getInt(ElasticsearchSinkConfig.MAX_RETRIES),
                new Backoff(config.getLong(ElasticsearchSinkConfig.RETRY_BACKOFF_MS),
                        config.getLong(ElasticsearchSinkConfig.RETRY_BACKOFF_MAX_MS)));
        if (config.lookup()) {
            lookup = new SourceLookup(config.getString(ElasticsearchSinkConfig.LOOKUP_URL),
                    config.getString(ElasticsearchSinkConfig.LOOKUP_USER),
                    config.getPassword(ElasticsearchSinkConfig.LOOKUP_PASSWORD) == null ? null
                            : config.getPassword(ElasticsearchSinkConfig.LOOKUP_PASSWORD).value());
        }
        writer = new BulkWriter(client, indices, tracker, this::malformed, settings, metrics, connector,
                lookup == null ? null : lookup::materialize);
        jmx = new SinkTaskMetrics(metrics, tracker::outstanding, writer::inFlight)
                .register(connector, props.getOrDefault(ElasticsearchSinkConnector.TASK_ID, "0"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        writer.rethrowFailure();
        for (SinkRecord record : records) {
            AckTracker.Entry entry = tracker.track(record);
            if (record.value() == null) {
                if (nullValues == NullValues.FAIL) {
                    throw new ConnectException("Null value (tombstone) at " + record.topic() + "-" + record.kafkaPartition()
                            + "@" + record.kafkaOffset() + " and " + ElasticsearchSinkConfig.BEHAVIOR_ON_NULL_VALUES + "=fail");
                }
                tracker.done(entry);
                continue;
            }
            ChangeAction action;
            try {
                action = actions.of(record);
            } catch (DataException e) {
                malformed(record, e.getMessage(), e);
                tracker.done(entry);
                continue;
            }
            writer.add(action, entry);
        }
        writer.maybeDispatch();
        applyBackpressure();
        nextPutWithin();
    }

    /**
     * Asks Connect to call {@code put} again soon when the task has something to do before more records come: while
     * paused, to resume as soon as enough records are acknowledged (a paused consumer's poll otherwise blocks until
     * the next offset commit, up to offset.flush.interval.ms, and Elasticsearch runs dry meanwhile); and when a batch
     * is waiting for linger.ms.
     */
    private void nextPutWithin() {
        if (context == null) {
            return;
        }
        long due = writer.msUntilDue();
        if (paused.paused()) {
            context.timeout(due < 0 ? PAUSED_POLL_MS : Math.min(PAUSED_POLL_MS, Math.max(1, due)));
        } else if (due >= 0) {
            context.timeout(Math.max(1, due));
        }
    }

    /** How often a paused task checks whether it can resume. */
    static final long PAUSED_POLL_MS = 10;

    /** Pauses the partitions while too many records are unacknowledged; resumes once half have drained. */
    private void applyBackpressure() {
        int outstanding = tracker.outstanding();
        if (!paused.paused() && outstanding >= maxBuffered) {
            writer.dispatch();
            paused.pause(context);
            LOG.info("Paused {} partitions: {} records not yet acknowledged (max.buffered.records {})",
                    context.assignment().size(), outstanding, maxBuffered);
        } else if (paused.paused() && outstanding <= maxBuffered / 2) {
            paused.resume(context);
            LOG.info("Resumed partitions: {} records not yet acknowledged", outstanding);
        }
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        writer.dispatch();
        writer.rethrowFailure();
        return deadLetters.committable(tracker, currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit decides what is committed; nothing is flushed synchronously
    }

    @Override
    public void close(Collection<TopicPartition> partitions) {
        tracker.forget(partitions);
    }

    private void malformed(ChangeAction action, String reason) {
        malformed(action.record(), reason, null);
    }

    /** A record that cannot be indexed, handled per behavior.on.malformed.documents. Logs coordinates, never contents. */
    private void malformed(SinkRecord record, String reason, Throwable cause) {
        String where = ErrantRecords.where(record);
        switch (malformedDocuments) {
            case IGNORE:
                return;
            case WARN:
                LOG.warn("Skipping the record at {}: {}", where, reason);
                return;
            case FAIL:
                throw new ConnectException("Cannot index the record at " + where + ": " + reason, cause);
            case DLQ:
            default:
                deadLetters.report(record, cause != null ? cause : new DataException(reason));
        }
    }

    /** This task's counters and latencies. */
    public BulkMetrics metrics() {
        return metrics;
    }

    @Override
    public void stop() {
        if (jmx != null) {
            jmx.close();
        }
        if (writer != null) {
            writer.close(config.getLong(ElasticsearchSinkConfig.FLUSH_TIMEOUT_MS));
        }
        if (lookup != null) {
            lookup.close();
        }
        if (client != null) {
            try {
                client._transport().close();
            } catch (Exception e) {
                LOG.warn("Closing the Elasticsearch client failed: {}", e.toString());
            }
        }
    }
}
