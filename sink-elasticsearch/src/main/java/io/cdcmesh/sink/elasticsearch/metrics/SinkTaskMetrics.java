package io.cdcmesh.sink.elasticsearch.metrics;

import io.cdcmesh.sink.elasticsearch.bulk.BulkMetrics;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one task's {@link BulkMetrics} as the MBean
 * {@code io.cdcmesh:type=elasticsearch-sink-task,connector=<name>,task=<id>}.
 */
public final class SinkTaskMetrics implements SinkTaskMetricsMBean, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkTaskMetrics.class);

    private final BulkMetrics metrics;
    private final LongSupplier buffered;
    private final IntSupplier inFlight;
    private ObjectName name;

    public SinkTaskMetrics(BulkMetrics metrics, LongSupplier buffered, IntSupplier inFlight) {
        this.metrics = metrics;
        this.buffered = buffered;
        this.inFlight = inFlight;
    }

    public static ObjectName objectName(String connector, String task) throws JMException {
        return new ObjectName("io.cdcmesh:type=elasticsearch-sink-task,connector=" + ObjectName.quote(connector)
                + ",task=" + ObjectName.quote(task));
    }

    /** Registers the MBean; a name already taken (a task restarted in place) is replaced. */
    public SinkTaskMetrics register(String connector, String task) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName objectName = objectName(connector, task);
            if (server.isRegistered(objectName)) {
                server.unregisterMBean(objectName);
            }
            server.registerMBean(this, objectName);
            name = objectName;
        } catch (JMException e) {
            LOG.warn("Could not register the metrics MBean of task {} of {}: {}", task, connector, e.toString());
        }
        return this;
    }

    @Override
    public void close() {
        if (name != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
            } catch (JMException e) {
                LOG.debug("Metrics MBean {} was already gone", name);
            }
            name = null;
        }
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

    @Override
    public long getFreshnessP50Ms() {
        return metrics.freshness().percentile(0.50);
    }

    @Override
    public long getFreshnessP99Ms() {
        return metrics.freshness().percentile(0.99);
    }

    @Override
    public long getFreshnessMaxMs() {
        return metrics.freshness().max();
    }
}
