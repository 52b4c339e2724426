package io.cdcmesh.testkit.connect;

import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * Kafka brokers for tests, on loopback only. Kafka's {@link EmbeddedKafkaCluster} binds its nodes' sockets through
 * {@code org.apache.kafka.common.test.PreboundSocketFactoryManager}; the test kit ships its own class of that name,
 * which binds them to 127.0.0.1 instead of the wildcard address. {@link #check()} makes sure it is the one loaded.
 */
public final class LoopbackKafka {
    private static final String MANAGER = "org.apache.kafka.common.test.PreboundSocketFactoryManager";

    private LoopbackKafka() {}

    /** A started single-node KRaft broker with {@code props} added to its config, listening on loopback only. */
    public static EmbeddedKafkaCluster start(Properties props) {
        check();
        EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, props);
        kafka.start();
        return kafka;
    }

    /** Fails unless the loopback-binding socket manager is the one on the class path. */
    public static void check() {
        try {
            Object binds = Class.forName(MANAGER).getField("BINDS").get(null);
            if (!"loopback".equals(binds)) {
                throw new IllegalStateException(MANAGER + " binds " + binds);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Kafka's own " + MANAGER + " (which binds test brokers to every interface) was"
                    + " loaded instead of the test kit's: put cdc-mesh-testkit-connect before Kafka's test jars on the class path", e);
        }
    }
}
