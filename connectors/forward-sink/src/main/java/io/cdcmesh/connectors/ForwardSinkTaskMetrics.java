package io.cdcmesh.connectors;

import io.cdcmesh.common.LatencyHistogram;
import io.cdcmesh.common.MBeans;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.ObjectName;

/** The forward sink task's metrics, registered as {@code io.cdcmesh:type=forward-sink-task,connector=...,task=...}. */
final class ForwardSinkTaskMetrics implements ForwardSinkTaskMetricsMBean, AutoCloseable {
    static final String TYPE = "forward-sink-task";

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final LatencyHistogram freshness = new LatencyHistogram();
    private final LongSupplier inFlight;
    private ObjectName name;

    ForwardSinkTaskMetrics(LongSupplier inFlight) {
        this.inFlight = inFlight;
    }

    ForwardSinkTaskMetrics register(String connector, String task) {
        name = MBeans.register(this, TYPE, connector, task);
        return this;
    }

    /** A produce was acknowledged; {@code commitTs} is the event's source commit time, or -1 if it has none. */
    void acknowledged(long commitTs, long now) {
        forwarded.incrementAndGet();
        if (commitTs >= 0) {
            freshness.record(now - commitTs);
        }
    }

    void retried() {
        retries.incrementAndGet();
    }

    void deadLettered() {
        deadLetters.incrementAndGet();
    }

    @Override
    public long getRecordsForwarded() {
        return forwarded.get();
    }

    @Override
    public long getRecordsInFlight() {
        return inFlight.getAsLong();
    }

    @Override
    public long getRetries() {
        return retries.get();
    }

    @Override
    public long getDeadLetterRecords() {
        return deadLetters.get();
    }

    @Override
    public long getFreshnessP50Ms() {
        return freshness.percentile(0.50);
    }

    @Override
    public long getFreshnessP99Ms() {
        return freshness.percentile(0.99);
    }

    @Override
    public long getFreshnessMaxMs() {
        return freshness.max();
    }

    @Override
    public void close() {
        MBeans.unregister(name);
        name = null;
    }
}
