package io.cdcmesh.runtime.embedded;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * The {@link SinkTaskContext} a task sees in {@link SinkHost}: what it asks (pause, resume, rewind, a timeout, a
 * commit) is kept for the host's loop, and the records it reports go to the sink's dead-letter queue.
 */
final class HostedTaskContext implements SinkTaskContext {
    private final Map<String, String> taskConfig;
    private final ErrantRecordReporter reporter;
    private final Set<TopicPartition> assignment;
    private final AtomicLong deadLettered;
    private final Set<TopicPartition> paused = ConcurrentHashMap.newKeySet();
    private final Map<TopicPartition, Long> rewinds = new HashMap<>();
    private final Queue<Future<Void>> reports = new ConcurrentLinkedQueue<>();
    private long timeoutMs = -1;
    private volatile boolean commitRequested;

    /** @param assignment the host's own set of partitions, read here */
    HostedTaskContext(Map<String, String> taskConfig, ErrantRecordReporter reporter, Set<TopicPartition> assignment,
            AtomicLong deadLettered) {
        this.taskConfig = taskConfig;
        this.reporter = reporter;
        this.assignment = assignment;
        this.deadLettered = deadLettered;
    }

    Set<TopicPartition> paused() {
        return paused;
    }

    boolean commitRequested() {
        return commitRequested;
    }

    void commitDone() {
        commitRequested = false;
    }

    @Override
    public Map<String, String> configs() {
        return taskConfig;
    }

    @Override
    public synchronized void offset(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
    }

    @Override
    public synchronized void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
    }

    synchronized Map<TopicPartition, Long> takeRewinds() {
        Map<TopicPartition, Long> taken = new HashMap<>(rewinds);
        rewinds.clear();
        return taken;
    }

    @Override
    public synchronized void timeout(long timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    synchronized void timeoutIfUnset(long ms) {
        if (timeoutMs <= 0) {
            timeoutMs = ms;
        }
    }

    /** The wait before the next put: the task's timeout once, else the idle poll. */
    synchronized long takeTimeout(long idle) {
        long wait = timeoutMs > 0 ? Math.min(timeoutMs, idle) : idle;
        timeoutMs = -1;
        return wait;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return Set.copyOf(new HashSet<>(assignment));
    }

    @Override
    public void pause(TopicPartition... partitions) {
        paused.addAll(List.of(partitions));
    }

    @Override
    public void resume(TopicPartition... partitions) {
        List.of(partitions).forEach(paused::remove);
    }

    @Override
    public void requestCommit() {
        commitRequested = true;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        if (reporter == null) {
            return null;
        }
        return (record, error) -> {
            deadLettered.incrementAndGet();
            Future<Void> report = reporter.report(record, error);
            reports.add(report);
            return report;
        };
    }

    /** Waits until the dead-letter queue has taken every record the task reported. */
    void awaitReports() throws Exception {
        for (Future<Void> report; (report = reports.peek()) != null; ) {
            report.get();
            reports.poll();
        }
    }

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }
}
