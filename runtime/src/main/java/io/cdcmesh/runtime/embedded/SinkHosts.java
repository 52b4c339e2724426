package io.cdcmesh.runtime.embedded;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.connect.runtime.isolation.LoaderSwap;
import org.apache.kafka.connect.runtime.isolation.Plugins;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * Makes the {@link SinkHost} of a prepared sink: starts its connector in the plugin's class loader, takes one task's
 * config, and gives it a dead-letter queue when it tolerates errors (its topic on the dead-letter cluster, as in
 * Connect, or a file under data.dir).
 */
final class SinkHosts {
    private final RuntimeSettings runtime;
    private final Plugins plugins;
    private final List<AutoCloseable> deadLetters;
    private final Consumer<Throwable> onFailure;

    /** @param deadLetters where the queues it opens are added, for the pipeline to close */
    SinkHosts(RuntimeSettings runtime, Plugins plugins, List<AutoCloseable> deadLetters, Consumer<Throwable> onFailure) {
        this.runtime = runtime;
        this.plugins = plugins;
        this.deadLetters = deadLetters;
        this.onFailure = onFailure;
    }

    SinkHost host(PipelineValidation.PreparedSink sink) {
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
            taskConfig[0] = new LinkedHashMap<>(sink.connector().taskConfigs(1).get(0));
            task[0] = (SinkTask) plugins.newTask(sink.connector().taskClass());
        }).run();
        ErrantRecordReporter deadLetter = sink.tolerateErrors() ? deadLetterQueue(section) : null;
        SinkHost.Settings settings = new SinkHost.Settings(section.name(), Map.copyOf(taskConfig[0]), sink.topics(),
                sink.chain(), deadLetter, sink.tolerateErrors(), runtime.sinkQueueRecords(), runtime.sinkBatchRecords(),
                runtime.commitIntervalMs(), runtime.idlePollMs());
        return new SinkHost(settings, task[0], inLoader, onFailure);
    }

    /** With a topic name and a Kafka cluster for dead letters: that topic, as in Connect. Otherwise a local file. */
    private ErrantRecordReporter deadLetterQueue(PipelineFile.Section section) {
        String topic = section.config().getOrDefault("errors.deadletterqueue.topic.name", "").trim();
        if (!topic.isEmpty() && runtime.deadLetterBootstrap() != null) {
            DeadLetterTopic dlq = new DeadLetterTopic(runtime.deadLetterBootstrap(), runtime.deadLetterClient(), topic, section.name());
            deadLetters.add(dlq);
            return dlq;
        }
        DeadLetterFile dlq = new DeadLetterFile(runtime.dataDir().resolve("dead-letter")
                .resolve((topic.isEmpty() ? section.name() : topic).replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl"));
        deadLetters.add(dlq);
        return dlq;
    }
}
