package io.cdcmesh.common.sink;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Which offsets a sink task may commit. Records are tracked per <em>original</em> topic partition (the one the
 * worker consumed, before any transform renamed the topic: what {@code preCommit}, {@code open}, {@code close} and
 * {@code context.offset} speak of since KIP-793), in the order the task received them. An offset becomes committable
 * only when it and every record before it in its partition is done (written, skipped, or handed to the dead-letter
 * queue); records the worker's transforms dropped never reach the task and hold nothing back. Records may finish
 * in any order, on any thread; commits never run ahead of them.
 */
public final class AckTracker {
    /** One tracked record. */
    public static final class Entry {
        private final TopicPartition partition;
        private final long offset;
        private boolean done;

        private Entry(TopicPartition partition, long offset) {
            this.partition = partition;
            this.offset = offset;
        }

        public TopicPartition partition() {
            return partition;
        }

        public long offset() {
            return offset;
        }
    }

    private final Map<TopicPartition, ArrayDeque<Entry>> pending = new HashMap<>();
    /** Partitions the task asked to be delivered again from an offset, until a record from there comes again. */
    private final Map<TopicPartition, Long> rewoundTo = new HashMap<>();
    private int outstanding;
    private TopicPartition last;

    /** The partition the worker consumed {@code record} from, whatever its transforms renamed. */
    public static TopicPartition originalPartition(SinkRecord record) {
        return new TopicPartition(record.originalTopic(), record.originalKafkaPartition());
    }

    /** Starts tracking {@code record} by its original topic, partition and offset. */
    public synchronized Entry track(SinkRecord record) {
        TopicPartition partition = last;
        if (partition == null || partition.partition() != record.originalKafkaPartition()
                || !partition.topic().equals(record.originalTopic())) {
            partition = originalPartition(record);
            last = partition;
        }
        Entry entry = new Entry(partition, record.originalKafkaOffset());
        if (!rewoundTo.isEmpty()) {
            Long rewound = rewoundTo.get(partition);
            if (rewound != null && entry.offset >= rewound) {
                rewoundTo.remove(partition);
            }
        }
        pending.computeIfAbsent(partition, p -> new ArrayDeque<>()).add(entry);
        outstanding++;
        return entry;
    }

    /** The record is finished with; a second call, or a call for a forgotten or rewound entry, does nothing. */
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

    /**
     * The offsets to commit for the partitions in {@code current} (what the worker delivered, records its
     * transforms dropped included): the delivered offset, held back to the first record not done and to a rewind
     * not yet delivered again.
     */
    public synchronized Map<TopicPartition, OffsetAndMetadata> committable(Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, OffsetAndMetadata> delivered : current.entrySet()) {
            TopicPartition partition = delivered.getKey();
            long next = delivered.getValue().offset();
            ArrayDeque<Entry> queue = pending.get(partition);
            if (queue != null) {
                while (!queue.isEmpty() && queue.peekFirst().done) {
                    queue.pollFirst();
                }
                if (!queue.isEmpty()) {
                    next = Math.min(next, queue.peekFirst().offset);
                }
            }
            Long rewound = rewoundTo.get(partition);
            if (rewound != null) {
                next = Math.min(next, rewound);
            }
            offsets.put(partition, new OffsetAndMetadata(next));
        }
        return offsets;
    }

    /**
     * For a task that will ask the worker to deliver again ({@code context.offset}) everything not yet done: per
     * partition, the offset of its first record not done. Those records and all after them stop being tracked (they
     * are tracked anew when delivered again); a late {@link #done} for one of them does nothing.
     */
    public synchronized Map<TopicPartition, Long> rewind() {
        Map<TopicPartition, Long> rewinds = new HashMap<>();
        for (Map.Entry<TopicPartition, ArrayDeque<Entry>> e : pending.entrySet()) {
            Iterator<Entry> entries = e.getValue().iterator();
            boolean dropping = false;
            while (entries.hasNext()) {
                Entry entry = entries.next();
                if (!dropping && !entry.done) {
                    dropping = true;
                    rewinds.put(e.getKey(), entry.offset);
                    rewoundTo.put(e.getKey(), entry.offset);
                }
                if (dropping) {
                    entries.remove();
                    retire(entry);
                }
            }
        }
        return rewinds;
    }

    /** Stops tracking partitions this task no longer owns; their records will be delivered again elsewhere. */
    public synchronized void forget(Collection<TopicPartition> partitions) {
        for (TopicPartition partition : partitions) {
            ArrayDeque<Entry> queue = pending.remove(partition);
            if (queue != null) {
                queue.forEach(this::retire);
            }
            rewoundTo.remove(partition);
        }
        last = null;
    }

    private void retire(Entry entry) {
        if (!entry.done) {
            entry.done = true;
            outstanding--;
        }
    }
}
