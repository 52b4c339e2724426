package io.cdcmesh.testkit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;

/** The SinkTaskContext a runtime gives a task, keeping what the task asked of it: pauses, resumes, DLQ reports. */
public final class RecordingSinkContext implements SinkTaskContext {
    public final Set<TopicPartition> assignment = new HashSet<>();
    public final Set<TopicPartition> paused = new HashSet<>();
    public final List<Map.Entry<SinkRecord, Throwable>> reported = new ArrayList<>();
    /** What the task asked to be delivered again from, with context.offset(). */
    public final Map<TopicPartition, Long> rewinds = new HashMap<>();
    public int pauses;
    /** The last wait the task asked for with timeout(), or -1. */
    public volatile long timeout = -1;

    public RecordingSinkContext(TopicPartition... partitions) {
        assignment.addAll(List.of(partitions));
    }

    @Override
    public Map<String, String> configs() {
        return Map.of();
    }

    @Override
    public synchronized void offset(Map<TopicPartition, Long> offsets) {
        rewinds.putAll(offsets);
    }

    @Override
    public synchronized void offset(TopicPartition tp, long offset) {
        rewinds.put(tp, offset);
    }

    @Override
    public void timeout(long timeoutMs) {
        timeout = timeoutMs;
    }

    @Override
    public Set<TopicPartition> assignment() {
        return assignment;
    }

    @Override
    public synchronized void pause(TopicPartition... partitions) {
        paused.addAll(List.of(partitions));
        pauses++;
    }

    @Override
    public synchronized void resume(TopicPartition... partitions) {
        paused.removeAll(List.of(partitions));
    }

    @Override
    public void requestCommit() {}

    @Override
    public PluginMetrics pluginMetrics() {
        return null;
    }

    @Override
    public ErrantRecordReporter errantRecordReporter() {
        return (record, error) -> {
            synchronized (reported) {
                reported.add(Map.entry(record, error));
            }
            Future<Void> done = CompletableFuture.completedFuture(null);
            return done;
        };
    }

    public List<Map.Entry<SinkRecord, Throwable>> reported() {
        synchronized (reported) {
            return List.copyOf(reported);
        }
    }
}
