package io.cdcmesh.sink.elasticsearch.bulk;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which offsets may be committed: per partition, records are tracked in the order the task received them, and
 * an offset becomes committable only when it and every record before it in its partition is done (written,
 * refused as stale, or handled as malformed). Bulk requests finish in any order; commits never run ahead.
 */
public final class OffsetTracker {
    /** One tracked record. */
    public static final class Entry {
        private final TopicPartition partition;
        private final long offset;
        private boolean done;

        private Entry(TopicPartition partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Entry>> pending = new HashMap<>();
    private final Map<TopicPartition, Long> committable = new HashMap<>();
    private int outstanding;
    private TopicPartition last;

    /** Starts tracking {@code record}, by its original topic, partition and offset (before any transform renamed it). */
    public synchronized Entry track(SinkRecord record) {
        TopicPartition partition = last;
        if (partition == null || partition.partition() != record.originalKafkaPartition()
                || !partition.topic().equals(record.originalTopic())) {
            partition = new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
            last = partition;
        }
        Entry entry = new Entry(partition, record.originalKafkaOffset());
        pending.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(entry);
        outstanding++;
        return entry;
    }

    public synchronized void done(Entry entry) {
        if (!entry.done) {
            entry.done = true;
            outstanding--;
        }
    }

    /** Records tracked and not yet done. */
    public synchronized int outstanding() {
        return outstanding;
    }

    /** The offsets to commit for the partitions in {@code current}: the next offset after the last done prefix. */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> current) {
        for (Map.Entry<TopicPartition, ArrayDeque<Entry>> e : pending.entrySet()) {
            ArrayDeque<Entry> queue = e.getValue();
            Entry last = null;
            while (!queue.isEmpty() && queue.peekFirst().done) {
                last = queue.pollFirst();
            }
            if (last != null) {
                committable.put(e.getKey(), last.offset + 1);
            }
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : current.keySet()) {
            Long next = committable.get(partition);
            if (next != null) {
                offsets.put(partition, new OffsetAndMetadata(next));
            }
        }
        return offsets;
    }

    /** Stops tracking partitions this task no longer owns; their records will be delivered again elsewhere. */
    public synchronized void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            ArrayDeque<Entry> queue = pending.remove(partition);
            if (queue != null) {
                for (Entry entry : queue) {
                    if (!entry.done) {
                        entry.done = true;
                        outstanding--;
                    }
                }
            }
            committable.remove(partition);
        }
    }
}
