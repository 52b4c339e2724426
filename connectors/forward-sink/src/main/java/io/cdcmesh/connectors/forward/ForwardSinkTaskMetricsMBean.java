package io.cdcmesh.connectors.forward;

/** Per-task metrics of the forward-to-topic sink, as JMX attributes. */
public interface ForwardSinkTaskMetricsMBean {
    /** Records whose produce the target cluster acknowledged. */
    long getRecordsForwarded();

    /** Records sent and not yet acknowledged. */
    long getRecordsInFlight();

    /** Times the producer was replaced and the partitions rewound after a failed send. */
    long getRetries();

    long getDeadLetterRecords();

    /** Source commit time to the produce being acknowledged. */
    long getFreshnessP50Ms();

    long getFreshnessP99Ms();

    long getFreshnessMaxMs();
}
