package io.cdcmesh.sink.hive.metrics;

import io.cdcmesh.common.LatencyHistogram;
import io.cdcmesh.common.TaskMetricsBean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The Hive audit sink task's metrics, registered as {@code io.cdcmesh:type=hive-audit-sink-task,connector=...,task=...}. */
public final class HiveSinkTaskMetrics extends TaskMetricsBean implements HiveSinkTaskMetricsMBean {
    public static final String TYPE = "hive-audit-sink-task";

    private final AtomicLong flushes = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong deadLetters = new AtomicLong();
    private final LatencyHistogram freshness;
    private final LongSupplier rowsWritten;
    private final LongSupplier duplicatesSkipped;
    private final LongSupplier positionRegressions;
    private final LongSupplier buffered;
    private volatile long lastFlush = -1;

    public HiveSinkTaskMetrics(LongSupplier rowsWritten, LongSupplier duplicatesSkipped, LongSupplier positionRegressions,
            LongSupplier buffered) {
        this(new LatencyHistogram(), rowsWritten, duplicatesSkipped, positionRegressions, buffered);
    }

    private HiveSinkTaskMetrics(LatencyHistogram freshness, LongSupplier rowsWritten, LongSupplier duplicatesSkipped,
            LongSupplier positionRegressions, LongSupplier buffered) {
        super(freshness);
        this.freshness = freshness;
        this.rowsWritten = rowsWritten;
        this.duplicatesSkipped = duplicatesSkipped;
        this.positionRegressions = positionRegressions;
        this.buffered = buffered;
    }

    public HiveSinkTaskMetrics register(String connector, String task) {
        registerAs(TYPE, connector, task);
        return this;
    }

    /** A flush succeeded; {@code commitTimes} are the source commit times (ms) of its rows. */
    public void flushed(long[] commitTimes, long now) {
        flushes.incrementAndGet();
        for (long ts : commitTimes) {
            freshness.record(now - ts);
        }
        lastFlush = now;
    }

    public void retried() {
        retries.incrementAndGet();
    }

    public void deadLettered() {
        deadLetters.incrementAndGet();
    }

    @Override
    public long getRowsWritten() {
        return rowsWritten.getAsLong();
    }

    @Override
    public long getDuplicatesSkipped() {
        return duplicatesSkipped.getAsLong();
    }

    @Override
    public long getPositionRegressions() {
        return positionRegressions.getAsLong();
    }

    @Override
    public long getFlushes() {
        return flushes.get();
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
    public long getBufferedRows() {
        return buffered.getAsLong();
    }

    @Override
    public long getLastFlushAgeMs() {
        long last = lastFlush;
        return last < 0 ? -1 : System.currentTimeMillis() - last;
    }
}
