package io.cdcmesh.common.sink;

import io.cdcmesh.common.Backoff;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a sink task waits out a transient failure of its target (connection lost, timeout): the task's partitions are
 * paused (so the worker stops handing it records it could not write) and it is called again after a capped,
 * jittered backoff; the first success resumes them. With {@code maxRetries >= 0} the task stops once that many
 * retries in a row have failed. Only the task thread may call it.
 */
public final class RetryPause {
    private static final Logger LOG = LoggerFactory.getLogger(RetryPause.class);

    private final Backoff backoff;
    private final int maxRetries;
    private final String target;
    private int attempts;
    private long retryAt;
    private final PausedPartitions partitions = new PausedPartitions();

    /**
     * @param target what is being written, for messages: "Hive", "the target cluster"
     * @param maxRetries retries in a row before the task stops; -1 for no limit
     */
    public RetryPause(Backoff backoff, int maxRetries, String target) {
        this.backoff = backoff;
        this.maxRetries = maxRetries;
        this.target = target;
    }

    /** True if no retry is pending or its time has come; otherwise asks the worker to call again when it is. */
    public boolean due(SinkTaskContext context, long now) {
        if (now < retryAt) {
            context.timeout(retryAt - now);
            return false;
        }
        return true;
    }

    /**
     * A transient failure: pauses the task's partitions and asks to be called again after the backoff.
     *
     * @return the backoff, in ms
     * @throws ConnectException when {@code maxRetries} retries in a row have failed
     */
    public long failed(SinkTaskContext context, long now, Exception cause) {
        attempts++;
        if (maxRetries >= 0 && attempts > maxRetries) {
            throw new ConnectException("Writing to " + target + " still fails after " + maxRetries + " retries", cause);
        }
        long delay = backoff.delayMs(attempts - 1);
        retryAt = now + delay;
        partitions.pause(context);
        context.timeout(delay);
        LOG.warn("Writing to {} failed (attempt {}), retrying in {} ms with partitions paused: {}", target, attempts,
                delay, cause.getMessage());
        return delay;
    }

    /** Resumes the partitions once the backoff is over, without counting the failure as overcome yet. */
    public void resumeWhenDue(SinkTaskContext context, long now) {
        if (partitions.paused() && due(context, now)) {
            partitions.resume(context);
        }
    }

    /** A write succeeded: the next failure starts the backoff afresh, and paused partitions resume. */
    public void succeeded(SinkTaskContext context) {
        attempts = 0;
        retryAt = 0;
        if (partitions.resume(context)) {
            LOG.info("{} is reachable again; resumed {}", target, context.assignment());
        }
    }

    /** Failed attempts in a row. */
    public int attempts() {
        return attempts;
    }

    public boolean paused() {
        return partitions.paused();
    }
}
