package io.cdcmesh.runtime.embedded;

import io.cdcmesh.common.OwnerOnly;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline in one process: Debezium's embedded engine runs the source connector; each record gets a number from
 * the pipeline's {@link OffsetSequence}, goes through the source's transforms and then to every sink's
 * {@link SinkHost}. Source offsets are committed to the engine's offset file only for records below every sink's
 * frontier ({@link CommitFrontier}), that is, records every sink reported durable (its {@code preCommit}) or had no
 * use for. A {@code kill -9} at any moment therefore loses nothing: the engine restarts from its last committed
 * offset, and the sinks, which write idempotently (versions in Elasticsearch, uuid watermarks in Hive), absorb what
 * comes again.
 */
public final class EmbeddedPipeline implements PipelineStatus, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPipeline.class);

    private final PipelineValidation.Prepared prepared;
    private final RuntimeSettings runtime;
    private final PipelineFile.Section source;

    private final List<SinkHost> sinks = new ArrayList<>();
    private final List<AutoCloseable> deadLetters = new ArrayList<>();
    private final CommitFrontier frontier = new CommitFrontier();
    private final SnapshotCounter snapshot;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong captured = new AtomicLong();
    private SourceDeadLetters sourceDeadLetters;
    private volatile boolean stopping;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private Thread engineThread;
    private Thread commitThread;
    private OffsetSequence sequence;
    private StatusServer status;

    private EmbeddedPipeline(PipelineValidation.Prepared prepared) {
        this.prepared = prepared;
        this.runtime = prepared.runtime();
        this.source = prepared.source();
        this.snapshot = new SnapshotCounter(source.config().getOrDefault("topic.prefix", ""));
    }

    /**
     * Reads and checks everything before anything starts ({@link PipelineValidation}); all problems are reported
     * together in one {@link PipelineException}, each with its file line and key.
     */
    public static EmbeddedPipeline prepare(PipelineFile file, String defaultPluginPath) {
        return new EmbeddedPipeline(PipelineValidation.prepare(file, defaultPluginPath));
    }

    /** Starts the sinks, then the source; returns at once. */
    public void start() throws IOException {
        // Offsets, schema history and dead letters live here: the owner's only.
        OwnerOnly.directories(runtime.dataDir());
        Properties engineProperties = EngineProperties.of(source, runtime);
        // Kafka's offset store and Debezium's schema history would create theirs with the default mode; they keep
        // the mode of a file they find.
        for (Path file : EngineProperties.stateFiles(engineProperties)) {
            OwnerOnly.file(file);
        }
        sequence = new OffsetSequence(runtime.dataDir().resolve("offset-sequence"));
        sourceDeadLetters = new SourceDeadLetters(runtime, source.name());
        deadLetters.add(sourceDeadLetters);
        SinkHosts hosts = new SinkHosts(runtime, prepared.plugins(), deadLetters, this::fail);
        for (PipelineValidation.PreparedSink sink : prepared.sinks()) {
            sinks.add(hosts.host(sink));
        }
        for (SinkHost sink : sinks) {
            sink.start();
        }
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties)
                .using((success, message, error) -> {
                    if (!stopping) {
                        fail(error != null ? error : new IllegalStateException("The source stopped: " + message));
                    }
                })
                .notifying(new DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>() {
                    @Override
                    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> recordCommitter) throws InterruptedException {
                        frontier.committer(recordCommitter);
                        dispatch(events);
                        recordCommitter.markBatchFinished();
                    }

                    @Override
                    public boolean supportsTombstoneEvents() {
                        return true;
                    }
                })
                .build();
        engineThread = new Thread(engine, "cdc-mesh-source-" + source.name());
        engineThread.start();
        commitThread = new Thread(this::commitLoop, "cdc-mesh-commit");
        commitThread.setDaemon(true);
        commitThread.start();
        if (runtime.statusPort() >= 0) {
            status = new StatusServer(this, source.name(), runtime.statusPort()).start();
            LOG.info("Status page on http://127.0.0.1:{}/ (health: /health, Prometheus: /metrics)", status.port());
        }
        LOG.info("Pipeline started: source '{}', sinks {}", source.name(), sinks.stream().map(SinkHost::name).toList());
    }

    /** On the engine's thread: number, transform and hand each record to every sink, in order. */
    private void dispatch(List<RecordChangeEvent<SourceRecord>> events) throws InterruptedException {
        List<SinkHost.Entry> entries = new ArrayList<>(events.size());
        long last = -1;
        for (RecordChangeEvent<SourceRecord> event : events) {
            long seq = sequence.next();
            last = seq;
            snapshot.count(event.record());
            SourceRecord out = transformed(event.record());
            frontier.dispatched(seq, event);
            if (out != null && SourceDeadLetters.isDeadLetter(out)) {
                sourceDeadLetters.offer(out, seq);
            } else if (out != null) {
                entries.add(new SinkHost.Entry(seq, out));
            }
        }
        captured.addAndGet(events.size());
        for (SinkHost sink : sinks) {
            sink.enqueue(entries);
        }
        if (last >= 0) {
            frontier.dispatchedBelow(last + 1);
        }
    }

    /** The record after the source's transforms; null if they dropped it, or failed on it with errors.tolerance=all. */
    private SourceRecord transformed(SourceRecord record) throws InterruptedException {
        try {
            return prepared.sourceChain().apply(record);
        } catch (RuntimeException e) {
            if (!prepared.sourceToleratesErrors()) {
                fail(new IllegalStateException("A transform of source '" + source.name() + "' failed on a record from "
                        + record.topic() + " (errors.tolerance=none)", e));
                throw new InterruptedException("pipeline failed");
            }
            LOG.warn("Source '{}': a transform failed on a record from {}; skipped (errors.tolerance=all): {}",
                    source.name(), record.topic(), e.toString());
            return null;
        }
    }

    /** Snapshot rows read so far per table ({@code db.table}). */
    public Map<String, Long> snapshotRows() {
        return snapshot.rows();
    }

    /** Marks as processed, for the engine's next offset flush, the last record below every sink's frontier. */
    private void commitLoop() {
        long interval = Math.max(10, Math.min(200, runtime.commitIntervalMs() / 2));
        while (finished.getCount() > 0) {
            try {
                frontier.commitReady(sinks);
                if (finished.await(interval, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                fail(t);
                return;
            }
        }
    }

    private void fail(Throwable t) {
        if (failure.compareAndSet(null, t)) {
            LOG.error("Pipeline failed: {}", t.toString(), t);
        }
        finished.countDown();
    }

    /** Blocks until {@link #stop()} or a failure; the failure, or null after a stop. */
    public Throwable awaitTermination() throws InterruptedException {
        finished.await();
        return failure.get();
    }

    public void stop() {
        finished.countDown();
    }

    @Override
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public long captured() {
        return captured.get();
    }

    @Override
    public long committed() {
        return frontier.committed();
    }

    @Override
    public long sourceDeadLettered() {
        return sourceDeadLetters == null ? 0 : sourceDeadLetters.count();
    }

    @Override
    public List<SinkHost> sinks() {
        return List.copyOf(sinks);
    }

    public Path dataDir() {
        return runtime.dataDir();
    }

    /** The source connector's settings, references resolved (for the progress display's row estimates; never printed). */
    public Map<String, String> sourceConfig() {
        return source.config();
    }

    /** The status port, or -1 when it is off. */
    public int statusPort() {
        return status == null ? -1 : status.port();
    }

    /** Stops the source first (so nothing more is handed out), then the sinks. */
    @Override
    public void close() {
        stopping = true;
        finished.countDown();
        if (status != null) {
            status.close();
        }
        try {
            if (failure.get() == null) {
                frontier.commitReady(sinks);
            }
        } catch (Throwable t) {
            LOG.warn("Last offset commit skipped: {}", t.toString());
        }
        if (engine != null) {
            try {
                engine.close();
                engineThread.join(TimeUnit.SECONDS.toMillis(60));
            } catch (IOException | RuntimeException e) {
                // e.g. "Engine has been already shut down" after it failed on its own
                LOG.debug("Closing the source engine: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (SinkHost sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                LOG.warn("Stopping sink '{}': {}", sink.name(), e.toString());
            }
        }
        for (PipelineValidation.PreparedSink sink : prepared.sinks()) {
            try (LoaderSwap ignored = prepared.plugins().withClassLoader(sink.loader())) {
                sink.connector().stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping connector '{}': {}", sink.section().name(), e.toString());
            }
        }
        if (prepared.sourceChain() != null) {
            prepared.sourceChain().close();
        }
        for (AutoCloseable dlq : deadLetters) {
            try {
                dlq.close();
            } catch (Exception e) {
                LOG.warn("Closing a dead-letter queue: {}", e.toString());
            }
        }
        LOG.info("Pipeline stopped: {} events captured, {} committed", captured.get(), committed());
    }
}
