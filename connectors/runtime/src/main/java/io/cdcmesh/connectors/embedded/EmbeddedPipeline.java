package io.cdcmesh.connectors.embedded;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.connector.Connector;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pipeline in one process: Debezium's embedded engine runs the source connector; each record gets a number from
 * the pipeline's {@link OffsetSequence}, goes through the source's transforms and then to every sink's
 * {@link SinkHost}. Source offsets are committed to the engine's offset file only for records below every sink's
 * frontier, that is, records every sink reported durable (its {@code preCommit}) or had no use for. A {@code kill -9}
 * at any moment therefore loses nothing: the engine restarts from its last committed offset, and the sinks, which
 * write idempotently (versions in Elasticsearch, uuid watermarks in Hive), absorb what comes again.
 */
public final class EmbeddedPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPipeline.class);
    private static final String SCHEMA_HISTORY = "schema.history.internal";

    private final PipelineFile file;
    private final RuntimeSettings runtime;
    private final Plugins plugins;
    private final PipelineFile.Section source;
    private final TransformChain<SourceRecord> sourceChain;
    private final boolean sourceToleratesErrors;
    private final List<PreparedSink> prepared;

    private final List<SinkHost> sinks = new ArrayList<>();
    private final List<AutoCloseable> deadLetters = new ArrayList<>();
    private final ConcurrentLinkedQueue<Pending> pending = new ConcurrentLinkedQueue<>();
    private final AtomicReference<DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>>> committer = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong captured = new AtomicLong();
    private final AtomicLong committed = new AtomicLong();
    private final AtomicLong sourceErrors = new AtomicLong();
    private SourceDeadLetters sourceDeadLetters;
    private final Map<String, java.util.concurrent.atomic.LongAdder> snapshotRows = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long dispatchedBelow;
    private volatile boolean stopping;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private Thread engineThread;
    private Thread commitThread;
    private OffsetSequence sequence;
    private StatusServer status;

    private record Pending(long seq, RecordChangeEvent<SourceRecord> event) {}

    private record PreparedSink(PipelineFile.Section section, SinkConnector connector, ClassLoader loader,
            Predicate<String> topics, TransformChain<SinkRecord> chain, boolean tolerateErrors) {}

    private EmbeddedPipeline(PipelineFile file, RuntimeSettings runtime, Plugins plugins, PipelineFile.Section source,
            TransformChain<SourceRecord> sourceChain, boolean sourceToleratesErrors, List<PreparedSink> prepared) {
        this.file = file;
        this.runtime = runtime;
        this.plugins = plugins;
        this.source = source;
        this.sourceChain = sourceChain;
        this.sourceToleratesErrors = sourceToleratesErrors;
        this.prepared = prepared;
    }

    /**
     * Reads and checks everything before anything starts: unknown keys, unresolved {@code ${env:..}} references, each
     * connector's own {@code validate()} (which also checks that its servers answer), each transform chain, and the
     * sinks' topic subscriptions. All problems are reported together, each with its file line and key.
     */
    public static EmbeddedPipeline prepare(PipelineFile file, String defaultPluginPath) {
        RuntimeSettings runtime = RuntimeSettings.from(file, defaultPluginPath);
        ConfigProviders providers = new ConfigProviders();
        PipelineFile.Section source = providers.resolve(file.file(), file.source());
        List<PipelineFile.Section> sinkSections = file.sinks().stream().map(s -> providers.resolve(file.file(), s)).toList();

        Map<String, String> pluginSettings = new HashMap<>();
        pluginSettings.put("plugin.path", runtime.pluginPath());
        pluginSettings.put("plugin.discovery", "service_load");
        Plugins plugins = new Plugins(pluginSettings);
        List<String> errors = new ArrayList<>();

        TransformChain<SourceRecord> sourceChain = null;
        Connector sourceConnector = connector(plugins, file, source, SourceConnector.class, errors);
        if (sourceConnector != null) {
            validate(file, source, sourceConnector, null, errors);
            sourceChain = TransformChain.build(source.config(), plugins::pluginClass, problem(file, source, errors));
        }

        List<PreparedSink> sinks = new ArrayList<>();
        for (PipelineFile.Section sink : sinkSections) {
            Connector connector = connector(plugins, file, sink, SinkConnector.class, errors);
            if (connector == null) {
                continue;
            }
            ClassLoader loader = connector.getClass().getClassLoader();
            validate(file, sink, connector, loader, errors);
            Predicate<String> topics = topics(file, sink, errors);
            TransformChain<SinkRecord> chain;
            try (LoaderSwap ignored = plugins.withClassLoader(loader)) {
                chain = TransformChain.build(sink.config(), plugins::pluginClass, problem(file, sink, errors));
            }
            if (MaskedColumns.looksUp(sink.config())) {
                MaskedColumns.maskingKey(source.config()).ifPresent(key -> problem(file, source, errors)
                        .accept(key, MaskedColumns.problem(source.name(), key, sink.name())));
            }
            boolean tolerate = tolerance(file, sink, errors);
            if (chain != null && topics != null) {
                sinks.add(new PreparedSink(sink, (SinkConnector) connector, loader, topics, chain, tolerate));
            }
        }
        boolean sourceTolerates = tolerance(file, source, errors);
        if (!errors.isEmpty()) {
            throw new PipelineException(String.join("\n", errors));
        }
        return new EmbeddedPipeline(file, runtime, plugins, source, sourceChain, sourceTolerates, sinks);
    }

    private static BiConsumer<String, String> problem(PipelineFile file, PipelineFile.Section section, List<String> errors) {
        return (key, message) -> errors.add(file.file() + ":" + section.lineOf(key) + ": " + section.label() + " key '" + key
                + "': " + message);
    }

    private static Connector connector(Plugins plugins, PipelineFile file, PipelineFile.Section section,
            Class<? extends Connector> kind, List<String> errors) {
        String className = section.config().get("connector.class");
        if (className == null || className.isBlank()) {
            problem(file, section, errors).accept("connector.class", "missing");
            return null;
        }
        try {
            Connector connector = plugins.newConnector(className.trim());
            if (!kind.isInstance(connector)) {
                problem(file, section, errors).accept("connector.class", className + " is not a "
                        + (kind == SinkConnector.class ? "sink" : "source") + " connector");
                return null;
            }
            return connector;
        } catch (RuntimeException e) {
            problem(file, section, errors).accept("connector.class", "no connector " + className
                    + " on the class path or the plugin path (" + e.getMessage() + ")");
            return null;
        }
    }

    private static void validate(PipelineFile file, PipelineFile.Section section, Connector connector, ClassLoader loader,
            List<String> errors) {
        Config result;
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        if (loader != null) {
            Thread.currentThread().setContextClassLoader(loader);
        }
        try {
            result = connector.validate(section.config());
        } catch (RuntimeException e) {
            problem(file, section, errors).accept("connector.class", "validate() failed: " + e);
            return;
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
        for (ConfigValue value : result.configValues()) {
            for (String message : value.errorMessages()) {
                problem(file, section, errors).accept(value.name(), message);
            }
        }
    }

    /** A sink's subscription from {@code topics} or {@code topics.regex}, exactly one of them, as in Connect. */
    private static Predicate<String> topics(PipelineFile file, PipelineFile.Section sink, List<String> errors) {
        String list = sink.config().get("topics");
        String regex = sink.config().get("topics.regex");
        boolean hasList = list != null && !list.isBlank();
        boolean hasRegex = regex != null && !regex.isBlank();
        if (hasList == hasRegex) {
            problem(file, sink, errors).accept(hasList ? "topics.regex" : "topics",
                    "set exactly one of 'topics' and 'topics.regex' (as for Kafka Connect)");
            return null;
        }
        if (hasList) {
            List<String> names = List.of(list.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            return names::contains;
        }
        try {
            Pattern pattern = Pattern.compile(regex.trim());
            return topic -> pattern.matcher(topic).matches();
        } catch (PatternSyntaxException e) {
            problem(file, sink, errors).accept("topics.regex", "not a valid regular expression: " + e.getDescription());
            return null;
        }
    }

    private static boolean tolerance(PipelineFile file, PipelineFile.Section section, List<String> errors) {
        String value = section.config().getOrDefault("errors.tolerance", "none").trim();
        if (!value.equals("none") && !value.equals("all")) {
            problem(file, section, errors).accept("errors.tolerance", "must be 'none' or 'all'");
        }
        return value.equals("all");
    }

    /** Starts the sinks, then the source; returns at once. */
    public void start() throws IOException {
        Files.createDirectories(runtime.dataDir());
        sequence = new OffsetSequence(runtime.dataDir().resolve("offset-sequence"));
        sourceDeadLetters = new SourceDeadLetters(runtime, source.name());
        deadLetters.add(sourceDeadLetters);
        for (PreparedSink sink : prepared) {
            sinks.add(host(sink));
        }
        for (SinkHost sink : sinks) {
            sink.start();
        }
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties())
                .using((success, message, error) -> {
                    if (!stopping) {
                        fail(error != null ? error : new IllegalStateException("The source stopped: " + message));
                    }
                })
                .notifying(new DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>>() {
                    @Override
                    public void handleBatch(List<RecordChangeEvent<SourceRecord>> events,
                            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> recordCommitter) throws InterruptedException {
                        committer.set(recordCommitter);
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

    private SinkHost host(PreparedSink sink) {
        PipelineFile.Section section = sink.section();
        Function<Runnable, Runnable> inLoader = action -> () -> {
            try (LoaderSwap ignored = plugins.withClassLoader(sink.loader())) {
                action.run();
            }
        };
        Map<String, String>[] taskConfig = new Map[1];
        SinkTask[] task = new SinkTask[1];
        inLoader.apply(() -> {
            sink.connector().start(section.config());
            Map<String, String> config = new LinkedHashMap<>(sink.connector().taskConfigs(1).get(0));
            taskConfig[0] = config;
            task[0] = (SinkTask) plugins.newTask(sink.connector().taskClass());
        }).run();
        org.apache.kafka.connect.sink.ErrantRecordReporter deadLetter = null;
        if (sink.tolerateErrors()) {
            // With a topic name and a Kafka cluster for dead letters: that topic, as in Connect. Otherwise a local file.
            String topic = section.config().getOrDefault("errors.deadletterqueue.topic.name", "").trim();
            if (!topic.isEmpty() && runtime.deadLetterBootstrap() != null) {
                DeadLetterTopic dlq = new DeadLetterTopic(runtime.deadLetterBootstrap(), topic, section.name());
                deadLetters.add(dlq);
                deadLetter = dlq;
            } else {
                DeadLetterFile dlq = new DeadLetterFile(runtime.dataDir().resolve("dead-letter")
                        .resolve((topic.isEmpty() ? section.name() : topic).replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl"));
                deadLetters.add(dlq);
                deadLetter = dlq;
            }
        }
        SinkHost.Settings settings = new SinkHost.Settings(section.name(), Map.copyOf(taskConfig[0]), sink.topics(),
                sink.chain(), deadLetter, sink.tolerateErrors(), runtime.sinkQueueRecords(), runtime.sinkBatchRecords(),
                runtime.commitIntervalMs(), runtime.idlePollMs());
        return new SinkHost(settings, task[0], inLoader, this::fail);
    }

    private Properties engineProperties() {
        Properties props = new Properties();
        source.config().forEach((key, value) -> {
            if (!key.equals("transforms") && !key.startsWith("transforms.") && !key.equals("predicates")
                    && !key.startsWith("predicates.")) {
                props.setProperty(key, value);
            }
        });
        props.setProperty("name", source.name());
        props.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.setProperty("offset.storage.file.filename", runtime.dataDir().resolve("source-offsets.dat").toString());
        props.setProperty("offset.flush.interval.ms", Long.toString(runtime.commitIntervalMs()));
        if (!source.config().containsKey(SCHEMA_HISTORY)) {
            // Connect-style configs keep schema history in Kafka; here there is no Kafka, so it is a local file.
            props.setProperty(SCHEMA_HISTORY, "io.debezium.storage.file.history.FileSchemaHistory");
            props.setProperty(SCHEMA_HISTORY + ".file.filename", runtime.dataDir().resolve("schema-history.dat").toString());
        }
        props.setProperty("record.processing.order", "ORDERED");
        return props;
    }

    /** On the engine's thread: number, transform and hand each record to every sink, in order. */
    private void dispatch(List<RecordChangeEvent<SourceRecord>> events) throws InterruptedException {
        List<SinkHost.Entry> entries = new ArrayList<>(events.size());
        long last = -1;
        for (RecordChangeEvent<SourceRecord> event : events) {
            long seq = sequence.next();
            last = seq;
            countSnapshotRead(event.record());
            SourceRecord out;
            try {
                out = sourceChain.apply(event.record());
            } catch (RuntimeException e) {
                if (!sourceToleratesErrors) {
                    fail(new IllegalStateException("A transform of source '" + source.name() + "' failed on a record from "
                            + event.record().topic() + " (errors.tolerance=none)", e));
                    throw new InterruptedException("pipeline failed");
                }
                sourceErrors.incrementAndGet();
                LOG.warn("Source '{}': a transform failed on a record from {}; skipped (errors.tolerance=all): {}",
                        source.name(), event.record().topic(), e.toString());
                out = null;
            }
            pending.add(new Pending(seq, event));
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
            dispatchedBelow = last + 1;
        }
    }

    /** Counts a Debezium snapshot read ({@code op = r}) under its table, {@code db.table}, for the progress display. */
    private void countSnapshotRead(SourceRecord record) {
        if (record.value() instanceof org.apache.kafka.connect.data.Struct value && value.schema().field("op") != null
                && "r".equals(value.get("op"))) {
            String prefix = source.config().getOrDefault("topic.prefix", "");
            String table = record.topic().startsWith(prefix + ".") ? record.topic().substring(prefix.length() + 1) : record.topic();
            snapshotRows.computeIfAbsent(table, k -> new java.util.concurrent.atomic.LongAdder()).increment();
        }
    }

    /** Snapshot rows read so far per table ({@code db.table}). */
    public Map<String, Long> snapshotRows() {
        Map<String, Long> rows = new java.util.TreeMap<>();
        snapshotRows.forEach((table, count) -> rows.put(table, count.sum()));
        return rows;
    }

    /** Marks as processed, for the engine's next offset flush, the last record below every sink's frontier. */
    private void commitLoop() {
        long interval = Math.max(10, Math.min(200, runtime.commitIntervalMs() / 2));
        while (finished.getCount() > 0) {
            try {
                commitReady();
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

    private void commitReady() throws InterruptedException {
        DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> current = committer.get();
        if (current == null) {
            return;
        }
        long frontier = dispatchedBelow;
        for (SinkHost sink : sinks) {
            frontier = Math.min(frontier, sink.frontier());
        }
        Pending last = null;
        while (!pending.isEmpty() && pending.peek().seq() < frontier) {
            last = pending.poll();
            committed.incrementAndGet();
        }
        if (last != null) {
            current.markProcessed(last.event());
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

    /** What made the pipeline fail, or null while it runs (or after a clean stop). */
    public Throwable failure() {
        return failure.get();
    }

    public long captured() {
        return captured.get();
    }

    public long committed() {
        return committed.get();
    }

    /** Changes the source's transforms set aside to a dead-letter topic or file (a keyless table's, for one). */
    public long sourceDeadLettered() {
        return sourceDeadLetters == null ? 0 : sourceDeadLetters.count();
    }

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
                commitReady();
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
        for (PreparedSink sink : prepared) {
            try (LoaderSwap ignored = plugins.withClassLoader(sink.loader())) {
                sink.connector().stop();
            } catch (RuntimeException e) {
                LOG.warn("Stopping connector '{}': {}", sink.section().name(), e.toString());
            }
        }
        if (sourceChain != null) {
            sourceChain.close();
        }
        for (AutoCloseable dlq : deadLetters) {
            try {
                dlq.close();
            } catch (Exception e) {
                LOG.warn("Closing a dead-letter queue: {}", e.toString());
            }
        }
        LOG.info("Pipeline stopped: {} events captured, {} committed", captured.get(), committed.get());
    }
}
