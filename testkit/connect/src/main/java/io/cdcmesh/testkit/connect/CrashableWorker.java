package io.cdcmesh.testkit.connect;

import java.io.IOException;
import java.util.Properties;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;

/**
 * A real broker and one distributed Connect worker in its own JVM, which a test can kill with SIGKILL and replace
 * with a fresh worker in the same group, as an operator would after a crash.
 */
public final class CrashableWorker implements AutoCloseable {
    private final EmbeddedKafkaCluster kafka;
    private final String group;
    private ConnectWorkerProcess worker;
    private int generation = 1;

    private CrashableWorker(EmbeddedKafkaCluster kafka, String group) throws IOException {
        this.kafka = kafka;
        this.group = group;
        this.worker = ConnectWorkerProcess.start(kafka.bootstrapServers(), group, group + "-1");
    }

    public static CrashableWorker start(String group) throws IOException {
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        EmbeddedKafkaCluster kafka = LoopbackKafka.start(broker);
        try {
            return new CrashableWorker(kafka, group);
        } catch (IOException | RuntimeException e) {
            kafka.stop();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public ConnectWorkerProcess worker() {
        return worker;
    }

    /** SIGKILLs the worker (no clean shutdown, no last offset commit) and starts the next one in the same group. */
    public ConnectWorkerProcess killAndReplace() throws IOException {
        worker.kill();
        generation++;
        worker = ConnectWorkerProcess.start(kafka.bootstrapServers(), group, group + "-" + generation);
        return worker;
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            kafka.stop();
        }
    }
}
