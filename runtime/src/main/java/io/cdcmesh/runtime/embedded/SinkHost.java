package io.cdcmesh.runtime.embedded;

import io.cdcmesh.common.sink.AckTracker;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one unchanged {@link SinkTask} in-process the way a Connect worker's {@code WorkerSinkTask} does: records in
 * order, {@code put} with an empty batch when idle or after {@code context.timeout}, pause/resume honoured, a batch
 * that failed with {@link RetriableException} delivered again, {@code context.offset} rewinds delivering the records
 * again from that offset, and {@code preCommit} every commit interval.
 *
 * <p>What the pipeline needs from it is its <em>frontier</em>: every sequence number below it has been either skipped
 * by this sink (other topic, dropped by its transforms, dead-lettered) or reported durable by the task's
 * {@code preCommit}. The source's offsets are committed only below the frontier of every sink.
 */
public final class SinkHost implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SinkHost.class);

    /** A record after the source's transforms, with its place in the pipeline's sequence. */
    record Entry(long seq, SourceRecord record) {}

    /** What the host needs to know of the sink's settings. */
    record Settings(String name, Map<String, String> taskConfig, Predicate<String> topics,
            TransformChain<SinkRecord> chain, ErrantRecordReporter reporter, boolean tolerateErrors, int queueCapacity,
            int batchSize, long commitIntervalMs, long idlePollMs) {}

    private final Settings settings;
    private final SinkTask task;
    private final Function<Runnable, Runnable> inPluginLoader;
    private final Consumer<Throwable> onFailure;
    private final HostedTaskContext context;

    private final Object lock = new Object();
    // guarded by lock
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final Map<TopicPartition, ArrayDeque<SinkRecord>> unacked = new HashMap<>();
    private long inFlightFirst = Long.MAX_VALUE;
    private boolean running = true;

    // the sink thread's own state
    private final Set<TopicPartition> assignment = new LinkedHashSet<>();
    private final Map<TopicPartition, Long> lastDelivered = new HashMap<>();
    private List<SinkRecord> redelivery = List.of();
    private boolean redeliveryTracked;
    private long nextCommit;

    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong skipped = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private volatile Throwable failure;
    private final Thread thread;

    SinkHost(Settings settings, SinkTask task, Function<Runnable, Runnable> inPluginLoader, Consumer<Throwable> onFailure) {
        this.settings = settings;
        this.task = task;
        this.inPluginLoader = inPluginLoader;
        this.onFailure = onFailure;
        this.thread = new Thread(this::loop, "cdc-mesh-sink-" + settings.name());
        this.context = new HostedTaskContext(settings.taskConfig(), settings.reporter(), assignment, deadLettered);
    }

    public String name() {
        return settings.name();
    }

    void start() {
        inPluginLoader.apply(() -> {
            task.initialize(context);
            task.start(settings.taskConfig());
        }).run();
        nextCommit = System.currentTimeMillis() + settings.commitIntervalMs();
        thread.start();
    }

    /** Hands records to the sink in order; blocks while its queue is full (backpressure onto the source). */
    void enqueue(List<Entry> entries) throws InterruptedException {
        synchronized (lock) {
            for (Entry entry : entries) {
                while (queue.size() >= settings.queueCapacity() && running && failure == null) {
                    lock.wait(100);
                }
                if (!running || failure != null) {
                    return;
                }
                queue.add(entry);
            }
            lock.notifyAll();
        }
    }

    /** Every sequence number below this is done for this sink (skipped, or durable); MAX_VALUE when nothing is open. */
    long frontier() {
        synchronized (lock) {
            long frontier = inFlightFirst;
            if (!queue.isEmpty()) {
                frontier = Math.min(frontier, queue.peekFirst().seq());
            }
            for (ArrayDeque<SinkRecord> records : unacked.values()) {
                if (!records.isEmpty()) {
                    frontier = Math.min(frontier, records.peekFirst().originalKafkaOffset());
                }
            }
            return frontier;
        }
    }

    public Throwable failure() {
        return failure;
    }

    public long delivered() {
        return delivered.get();
    }

    public long acknowledged() {
        return acknowledged.get();
    }

    public long skipped() {
        return skipped.get();
    }

    public long deadLettered() {
        return deadLettered.get();
    }

    public int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    private void loop() {
        try {
            while (isRunning()) {
                long wait = context.takeTimeout(settings.idlePollMs());
                List<SinkRecord> batch;
                boolean fresh;
                if (!redelivery.isEmpty()) {
                    batch = redelivery;
                    fresh = !redeliveryTracked;
                } else if (context.paused().isEmpty()) {
                    batch = toSinkRecords(take(wait));
                    fresh = true;
                } else {
                    awaitStop(wait);
                    batch = List.of();
                    fresh = false;
                }
                deliver(batch, fresh);
                if (System.currentTimeMillis() >= nextCommit || context.commitRequested()) {
                    commit();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            failure = t;
            LOG.error("Sink '{}' failed", settings.name(), t);
            synchronized (lock) {
                lock.notifyAll();
            }
            onFailure.accept(t);
        }
    }

    private boolean isRunning() {
        synchronized (lock) {
            return running;
        }
    }

    private void awaitStop(long waitMs) throws InterruptedException {
        synchronized (lock) {
            if (running) {
                lock.wait(Math.max(1, waitMs));
            }
        }
    }

    /** Up to a batch of entries, waiting at most {@code waitMs} for the first; they are in flight until delivered. */
    private List<Entry> take(long waitMs) throws InterruptedException {
        synchronized (lock) {
            long deadline = System.currentTimeMillis() + waitMs;
            while (queue.isEmpty() && running) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    return List.of();
                }
                lock.wait(left);
            }
            List<Entry> batch = new ArrayList<>(Math.min(queue.size(), settings.batchSize()));
            while (!queue.isEmpty() && batch.size() < settings.batchSize()) {
                batch.add(queue.pollFirst());
            }
            if (!batch.isEmpty()) {
                inFlightFirst = batch.get(0).seq();
            }
            lock.notifyAll();
            return batch;
        }
    }

    /** This sink's records of the batch, after its own transforms; the others are skipped or dead-lettered. */
    private List<SinkRecord> toSinkRecords(List<Entry> entries) throws Exception {
        List<SinkRecord> records = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            SourceRecord source = entry.record();
            if (!settings.topics().test(source.topic())) {
                skipped.incrementAndGet();
                continue;
            }
            SinkRecord record = new SinkRecord(source.topic(), source.kafkaPartition() == null ? 0 : source.kafkaPartition(),
                    source.keySchema(), source.key(), source.valueSchema(), source.value(), entry.seq(), source.timestamp(),
                    TimestampType.CREATE_TIME, source.headers().duplicate());
            SinkRecord transformed;
            try {
                transformed = settings.chain().apply(record);
            } catch (RuntimeException e) {
                if (!settings.tolerateErrors()) {
                    throw new IllegalStateException("Sink '" + settings.name() + "': a transform failed on the record at "
                            + record.topic() + "@" + record.kafkaOffset() + " (errors.tolerance=none)", e);
                }
                report(record, e);
                continue;
            }
            if (transformed == null) {
                skipped.incrementAndGet();
                continue;
            }
            records.add(transformed);
        }
        return records;
    }

    private void report(SinkRecord record, Exception reason) throws Exception {
        LOG.warn("Sink '{}': record at {}@{} dead-lettered: {}", settings.name(), record.topic(), record.kafkaOffset(), reason.toString());
        if (settings.reporter() != null) {
            settings.reporter().report(record, reason).get();
        }
        deadLettered.incrementAndGet();
    }

    private void deliver(List<SinkRecord> batch, boolean fresh) throws Exception {
        List<TopicPartition> opened = new ArrayList<>();
        for (SinkRecord record : batch) {
            TopicPartition tp = AckTracker.originalPartition(record);
            if (assignment.add(tp)) {
                opened.add(tp);
            }
        }
        if (!opened.isEmpty()) {
            inPluginLoader.apply(() -> task.open(opened)).run();
        }
        try {
            inPluginLoader.apply(() -> task.put(batch)).run();
        } catch (RetriableException e) {
            LOG.warn("Sink '{}': put of {} records failed and will be retried: {}", settings.name(), batch.size(), e.getMessage());
            if (fresh) {
                track(batch); // in flight until acknowledged, whichever way they come again
            }
            redelivery = batch;
            redeliveryTracked = true;
            context.timeoutIfUnset(settings.idlePollMs());
            return;
        }
        if (fresh) {
            track(batch);
        }
        delivered.addAndGet(batch.size());
        for (SinkRecord record : batch) {
            lastDelivered.put(AckTracker.originalPartition(record), record.originalKafkaOffset());
        }
        redelivery = List.of();
        redeliveryTracked = false;
        Map<TopicPartition, Long> rewinds = context.takeRewinds();
        if (!rewinds.isEmpty()) {
            redelivery = rewound(rewinds);
            redeliveryTracked = true;
        }
    }

    /** The batch is now the task's: unacknowledged until preCommit says otherwise. */
    private void track(List<SinkRecord> batch) {
        synchronized (lock) {
            for (SinkRecord record : batch) {
                unacked.computeIfAbsent(AckTracker.originalPartition(record), k -> new ArrayDeque<>()).add(record);
            }
            inFlightFirst = Long.MAX_VALUE;
        }
    }

    /** The records to deliver again after the task asked to rewind: those it holds unacknowledged from each offset. */
    private List<SinkRecord> rewound(Map<TopicPartition, Long> rewinds) {
        List<SinkRecord> again = new ArrayList<>();
        synchronized (lock) {
            rewinds.forEach((tp, offset) -> {
                ArrayDeque<SinkRecord> held = unacked.get(tp);
                if (held != null) {
                    held.stream().filter(r -> r.originalKafkaOffset() >= offset).forEach(again::add);
                }
            });
        }
        again.sort(Comparator.comparingLong(SinkRecord::originalKafkaOffset));
        LOG.info("Sink '{}' rewound to {}: {} records delivered again", settings.name(), rewinds, again.size());
        return again;
    }

    /**
     * Asks the task what it has made durable, as {@code WorkerSinkTask} does: once the dead-letter queue has taken
     * every record reported so far, {@code preCommit} with the offsets delivered; an answer for a partition the task
     * does not own, or past what it was delivered, is ignored with a warning.
     */
    private void commit() throws Exception {
        context.commitDone();
        nextCommit = System.currentTimeMillis() + settings.commitIntervalMs();
        context.awaitReports();
        Map<TopicPartition, OffsetAndMetadata> current = new HashMap<>();
        lastDelivered.forEach((tp, offset) -> current.put(tp, new OffsetAndMetadata(offset + 1)));
        Map<TopicPartition, OffsetAndMetadata>[] result = new Map[1];
        inPluginLoader.apply(() -> result[0] = task.preCommit(new HashMap<>(current))).run();
        if (result[0] == null) {
            return;
        }
        synchronized (lock) {
            result[0].forEach((tp, committed) -> {
                OffsetAndMetadata delivered = current.get(tp);
                if (delivered == null) {
                    LOG.warn("Sink '{}': ignoring the offset {} the task reported for {}: not a partition it was given {}",
                            settings.name(), committed.offset(), tp, assignment);
                    return;
                }
                if (committed.offset() > delivered.offset()) {
                    LOG.warn("Sink '{}': ignoring the offset {} the task reported for {}: only {} were delivered",
                            settings.name(), committed.offset(), tp, delivered.offset());
                    return;
                }
                ArrayDeque<SinkRecord> held = unacked.get(tp);
                while (held != null && !held.isEmpty() && held.peekFirst().originalKafkaOffset() < committed.offset()) {
                    held.pollFirst();
                    acknowledged.incrementAndGet();
                }
            });
        }
    }

    /** Stops delivering, closes the task's partitions and stops it; what it did not acknowledge is delivered again on restart. */
    @Override
    public void close() {
        synchronized (lock) {
            running = false;
            lock.notifyAll();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        inPluginLoader.apply(() -> {
            try {
                task.close(new ArrayList<>(assignment));
            } finally {
                task.stop();
            }
        }).run();
        if (settings.chain() != null) {
            settings.chain().close();
        }
    }
}
