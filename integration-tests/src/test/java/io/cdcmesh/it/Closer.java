package io.cdcmesh.it;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/** What a test started, stopped in reverse order by its own handles when the test ends. */
final class Closer implements AutoCloseable {
    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    /** A real single-node broker (KRaft) on loopback, stopped with the rest. */
    EmbeddedKafkaCluster broker() {
        Properties props = new Properties();
        props.put("group.initial.rebalance.delay.ms", "0");
        EmbeddedKafkaCluster kafka = io.cdcmesh.testkit.connect.LoopbackKafka.start(props);
        add(kafka::stop);
        return kafka;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping what a test started failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
