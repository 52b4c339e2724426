package io.cdcmesh.sink.elasticsearch.metrics;

/** One Elasticsearch sink task's metrics, as JMX attributes. Latencies are in milliseconds. */
public interface SinkTaskMetricsMBean {
    long getDocumentsIndexed();

    long getDocumentsDeleted();

    long getStaleEventsSkipped();

    /** Minutes-long runs of nothing but stale skips: the source's positions went back (see the task's log). */
    long getPositionRegressions();

    long getRetries();

    long getDeadLetterRecords();

    long getBufferedRecords();

    int getInFlightRequests();

    /** Milliseconds since Elasticsearch last acknowledged a write by this task; -1 before the first. */
    long getLastWriteAgeMs();

    /** Bulk requests answered: documents written per request shows how full they are. */
    long getBulkRequests();

    long getBulkLatencyP50Ms();

    long getBulkLatencyP99Ms();

    long getBulkLatencyMaxMs();

    /** Source commit time to Elasticsearch's acknowledgement. */
    long getFreshnessP50Ms();

    long getFreshnessP99Ms();

    long getFreshnessMaxMs();
}
