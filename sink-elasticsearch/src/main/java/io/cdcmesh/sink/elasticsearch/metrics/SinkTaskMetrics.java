package io.cdcmesh.sink.elasticsearch.metrics;

import io.cdcmesh.common.TaskMetricsBean;
import io.cdcmesh.sink.elasticsearch.bulk.BulkMetrics;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Publishes one task's {@link BulkMetrics} as the MBean
 * {@code io.cdcmesh:type=elasticsearch-sink-task,connector=<name>,task=<id>}.
 */
public final class SinkTaskMetrics extends TaskMetricsBean implements SinkTaskMetricsMBean {
    public static final String TYPE = "elasticsearch-sink-task";

    private final BulkMetrics metrics;
    private final LongSupplier buffered;
    private final IntSupplier inFlight;

    public SinkTaskMetrics(BulkMetrics metrics, LongSupplier buffered, IntSupplier inFlight) {
        super(metrics.freshness());
        this.metrics = metrics;
        this.buffered = buffered;
        this.inFlight = inFlight;
    }

    /** Registers the MBean; a name already taken (a task restarted in place) is replaced. */
    public SinkTaskMetrics register(String connector, String task) {
        registerAs(TYPE, connector, task);
        return this;
    }

    @Override
    public long getDocumentsIndexed() {
        return metrics.indexed();
    }

    @Override
    public long getDocumentsDeleted() {
        return metrics.deleted();
    }

    @Override
    public long getStaleEventsSkipped() {
        return metrics.staleSkipped();
    }

    @Override
    public long getPositionRegressions() {
        return metrics.positionRegressions();
    }

    @Override
    public long getRetries() {
        return metrics.retries();
    }

    @Override
    public long getDeadLetterRecords() {
        return metrics.malformed();
    }

    @Override
    public long getBufferedRecords() {
        return buffered.getAsLong();
    }

    @Override
    public int getInFlightRequests() {
        return inFlight.getAsInt();
    }

    @Override
    public long getLastWriteAgeMs() {
        long last = metrics.lastWriteMillis();
        return last == 0 ? -1 : System.currentTimeMillis() - last;
    }

    @Override
    public long getBulkRequests() {
        return metrics.bulkRequests();
    }

    @Override
    public long getBulkLatencyP50Ms() {
        return metrics.bulkLatency().percentile(0.50);
    }

    @Override
    public long getBulkLatencyP99Ms() {
        return metrics.bulkLatency().percentile(0.99);
    }

    @Override
    public long getBulkLatencyMaxMs() {
        return metrics.bulkLatency().max();
    }
}
