package io.cdcmesh.common.sink;

import io.cdcmesh.common.event.ChangeEventView;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sink task's dead-letter queue: the worker's {@link ErrantRecordReporter}, reported to without waiting (a record
 * goes to the DLQ while the task goes on), and {@link #awaitReported} before offsets are committed, so an offset is
 * never committed past a record the DLQ has not taken. Logs coordinates and the reason, never the record's contents.
 */
public final class ErrantRecords {
    private static final Logger LOG = LoggerFactory.getLogger(ErrantRecords.class);

    private final ErrantRecordReporter reporter;
    private final String missingHint;
    private final Queue<Future<Void>> reports = new ConcurrentLinkedQueue<>();
    private final AtomicLong reported = new AtomicLong();

    /**
     * @param missingHint what the user should set when a record must be dead-lettered and there is no DLQ, e.g.
     *     "set errors.tolerance=all and errors.deadletterqueue.topic.name"
     */
    public ErrantRecords(SinkTaskContext context, String missingHint) {
        this.reporter = lookup(context);
        this.missingHint = missingHint;
    }

    /** The worker's reporter, or null if it has none configured or predates Kafka 2.6. */
    private static ErrantRecordReporter lookup(SinkTaskContext context) {
        try {
            return context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            return null;
        }
    }

    public boolean available() {
        return reporter != null;
    }

    /** Hands the record to the DLQ; throws (stopping the task, naming the fix) if there is none. Any thread may call. */
    public void report(SinkRecord record, Throwable reason) {
        String where = where(record);
        if (reporter == null) {
            throw new ConnectException("The record at " + where + " can't be written (" + reason.getMessage()
                    + ") and there is no dead-letter queue: " + missingHint, reason);
        }
        LOG.warn("Record at {} sent to the dead-letter queue: {}", where, reason.getMessage());
        reports.add(reporter.report(record, reason));
        reported.incrementAndGet();
    }

    /** Records reported so far. */
    public long reported() {
        return reported.get();
    }

    /** Waits until the DLQ has taken every record reported so far; throws if it refused one. */
    public void awaitReported() {
        for (Future<Void> report; (report = reports.peek()) != null; ) {
            try {
                report.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConnectException("Interrupted while waiting for the dead-letter queue", e);
            } catch (ExecutionException e) {
                throw new ConnectException("The dead-letter queue did not take a record: " + e.getCause(), e.getCause());
            }
            reports.poll();
        }
    }

    /**
     * What a task's {@code preCommit} returns: the tracker's committable offsets, taken first, then held until the
     * DLQ has taken every record reported so far (a record counted done was reported before it was).
     */
    public Map<TopicPartition, OffsetAndMetadata> committable(AckTracker tracker, Map<TopicPartition, OffsetAndMetadata> current) {
        Map<TopicPartition, OffsetAndMetadata> offsets = tracker.committable(current);
        awaitReported();
        return offsets;
    }

    /** A record's coordinates as the worker consumed it, for messages. */
    public static String where(SinkRecord record) {
        return ChangeEventView.where(record);
    }
}
