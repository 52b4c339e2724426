package io.cdcmesh.common.sink;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Whether a sink task has paused all of its partitions, for whichever reason (a target to wait out, too much
 * unacknowledged). Pausing twice or resuming what is not paused does nothing; only the task thread may call it.
 */
public final class PausedPartitions {
    private boolean paused;

    /** Pauses every partition the task owns; false if they already were. */
    public boolean pause(SinkTaskContext context) {
        if (paused) {
            return false;
        }
        context.pause(context.assignment().toArray(TopicPartition[]::new));
        paused = true;
        return true;
    }

    /** Resumes every partition the task owns; false if they were not paused. */
    public boolean resume(SinkTaskContext context) {
        if (!paused) {
            return false;
        }
        context.resume(context.assignment().toArray(TopicPartition[]::new));
        paused = false;
        return true;
    }

    public boolean paused() {
        return paused;
    }
}
