package io.cdcmesh.runtime.embedded;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Which source records may have their offsets committed: each dispatched record waits here with its sequence number
 * until it is below every sink's frontier (durable in each, or of no use to it); then the last such record is marked
 * processed for the engine's next offset flush.
 */
final class CommitFrontier {
    private record Dispatched(long seq, RecordChangeEvent<SourceRecord> event) {}

    private final ConcurrentLinkedQueue<Dispatched> dispatched = new ConcurrentLinkedQueue<>();
    private final AtomicReference<DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>>> committer = new AtomicReference<>();
    private final AtomicLong committed = new AtomicLong();
    private volatile long dispatchedBelow;

    /** The engine's committer of the batch being handled (engine thread). */
    void committer(DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> current) {
        committer.set(current);
    }

    /** A record handed out (or set aside) under {@code seq} (engine thread, in sequence order). */
    void dispatched(long seq, RecordChangeEvent<SourceRecord> event) {
        dispatched.add(new Dispatched(seq, event));
    }

    /** Every record below {@code seq} has been handed to the sinks. */
    void dispatchedBelow(long seq) {
        dispatchedBelow = seq;
    }

    /** Marks processed the last record below every sink's frontier (commit thread, or on close). */
    void commitReady(List<SinkHost> sinks) throws InterruptedException {
        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> current = committer.get();
        if (current == null) {
            return;
        }
        long frontier = dispatchedBelow;
        for (SinkHost sink : sinks) {
            frontier = Math.min(frontier, sink.frontier());
        }
        Dispatched last = null;
        while (!dispatched.isEmpty() && dispatched.peek().seq() < frontier) {
            last = dispatched.poll();
            committed.incrementAndGet();
        }
        if (last != null) {
            current.markProcessed(last.event());
        }
    }

    /** Records whose offsets may be committed so far. */
    long committed() {
        return committed.get();
    }
}
