package io.cdcmesh.sink.hive.metrics;

/** Per-task metrics of the Hive audit sink, as JMX attributes. */
public interface HiveSinkTaskMetricsMBean {
    long getRowsWritten();

    long getDuplicatesSkipped();

    /** Sustained runs (a minute, 100 events) of nothing but events already held: the source's positions went back. */
    long getPositionRegressions();

    long getFlushes();

    long getRetries();

    long getDeadLetterRecords();

    long getBufferedRows();

    /** Milliseconds since the last successful flush; -1 before the first. */
    long getLastFlushAgeMs();

    /** Source commit time to the row being durably in Hive. */
    long getFreshnessP50Ms();

    long getFreshnessP99Ms();

    long getFreshnessMaxMs();
}
