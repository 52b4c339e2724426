package io.cdcmesh.common;

import javax.management.ObjectName;

/**
 * What every sink task's metrics MBean has in common: its name under {@code io.cdcmesh} (registered, replaced when a
 * restarted task takes it again, unregistered on close) and its freshness, the time from the source commit to the
 * sink's durable write, as p50, p99 and max.
 */
public abstract class TaskMetricsBean implements AutoCloseable {
    private final LatencyHistogram freshness;
    private ObjectName name;

    protected TaskMetricsBean(LatencyHistogram freshness) {
        this.freshness = freshness;
    }

    /** Registers this MBean as {@code io.cdcmesh:type=<type>,connector="<connector>",task="<task>"}. */
    protected final void registerAs(String type, String connector, String task) {
        name = MBeans.register(this, type, connector, task);
    }

    public long getFreshnessP50Ms() {
        return freshness.percentile(0.50);
    }

    public long getFreshnessP99Ms() {
        return freshness.percentile(0.99);
    }

    public long getFreshnessMaxMs() {
        return freshness.max();
    }

    @Override
    public void close() {
        MBeans.unregister(name);
        name = null;
    }
}
