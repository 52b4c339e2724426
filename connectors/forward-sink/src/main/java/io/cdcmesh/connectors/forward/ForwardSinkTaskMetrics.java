package io.cdcmesh.connectors.forward;

import io.cdcmesh.common.LatencyHistogram;
import io.cdcmesh.common.TaskMetricsBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The forward sink task's metrics, registered as {@code io.cdcmesh:type=forward-sink-task,connector=...,task=...}. */
final class ForwardSinkTaskMetrics extends TaskMetricsBean implements ForwardSinkTaskMetricsMBean {
    static final String TYPE = "forward-sink-task";

    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final LatencyHistogram freshness;
    private final LongSupplier inFlight;

    ForwardSinkTaskMetrics(LongSupplier inFlight) {
        this(new LatencyHistogram(), inFlight);
    }

    private ForwardSinkTaskMetrics(LatencyHistogram freshness, LongSupplier inFlight) {
        super(freshness);
        this.freshness = freshness;
        this.inFlight = inFlight;
    }

    ForwardSinkTaskMetrics register(String connector, String task) {
        registerAs(TYPE, connector, task);
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
}
