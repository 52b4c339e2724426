package io.cdcmesh.sink.elasticsearch.bulk;

import io.cdcmesh.common.LatencyHistogram;
import io.cdcmesh.common.sink.StaleRuns;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** What one task's writer has done: counts, bulk latency, and freshness (source commit to Elasticsearch's ack). */
public final class BulkMetrics {
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong deleted = new AtomicLong();
    private final AtomicLong stale = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong lastWriteMillis = new AtomicLong();
    private final AtomicLong bulkRequests = new AtomicLong();
    private final LatencyHistogram bulkLatency = new LatencyHistogram();
    private final LatencyHistogram freshness = new LatencyHistogram();
    private final StaleRuns staleRuns;

    public BulkMetrics(String task) {
        this.staleRuns = new StaleRuns(System::currentTimeMillis, task, "the index");
    }

    void recordWritten(ChangeAction action) {
        long now = System.currentTimeMillis();
        (action.kind() == ChangeAction.Kind.DELETE ? deleted : indexed).incrementAndGet();
        freshness.record(now - action.sourceTs());
        lastWriteMillis.set(now);
        staleRuns.written();
    }

    void recordStale(long version, long currentVersion) {
        stale.incrementAndGet();
        if (currentVersion >= 0) {
            staleRuns.stale(version, currentVersion);
        } else {
            staleRuns.stale();
        }
    }

    /** Sustained runs of nothing but stale skips: the source's positions went back ({@link StaleRuns}). */
    public long positionRegressions() {
        return staleRuns.regressions();
    }

    void recordRetry() {
        retries.incrementAndGet();
    }

    void recordMalformed() {
        malformed.incrementAndGet();
    }

    void recordBulkLatency(long nanos) {
        bulkRequests.incrementAndGet();
        bulkLatency.record(TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    public long indexed() {
        return indexed.get();
    }

    public long deleted() {
        return deleted.get();
    }

    /** Writes Elasticsearch refused because it already held a newer version: replays and reordered events. */
    public long staleSkipped() {
        return stale.get();
    }

    /** Bulk requests answered; with the documents written, how full the requests are. */
    public long bulkRequests() {
        return bulkRequests.get();
    }

    public long retries() {
        return retries.get();
    }

    public long malformed() {
        return malformed.get();
    }

    /** When the last write was acknowledged (epoch ms; 0 if none yet): progress, not just liveness. */
    public long lastWriteMillis() {
        return lastWriteMillis.get();
    }

    public LatencyHistogram bulkLatency() {
        return bulkLatency;
    }

    public LatencyHistogram freshness() {
        return freshness;
    }
}
