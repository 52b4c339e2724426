package io.cdcmesh.runtime.embedded;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** The Debezium engine's settings for a pipeline's source: its connector keys, offsets and schema history under data.dir. */
final class EngineProperties {
    private static final String SCHEMA_HISTORY = "schema.history.internal";
    static final String POLL_INTERVAL = "poll.interval.ms";
    /**
     * Debezium waits this long whenever its queue is empty before it looks again (its own default, 500 ms, is most of
     * a change's way to the sinks at a steady rate); while changes flow the queue is never empty and it never waits.
     */
    static final String DEFAULT_POLL_INTERVAL_MS = "10";

    private EngineProperties() {}

    /** The engine's own state files under data.dir (offsets; schema history unless the source keeps it elsewhere). */
    static List<Path> stateFiles(Properties engine) {
        List<Path> files = new ArrayList<>();
        for (String key : List.of("offset.storage.file.filename", SCHEMA_HISTORY + ".file.filename")) {
            if (engine.getProperty(key) != null) {
                files.add(Path.of(engine.getProperty(key)));
            }
        }
        return files;
    }

    static Properties of(PipelineFile.Section source, RuntimeSettings runtime) {
        Properties props = new Properties();
        source.config().forEach((key, value) -> {
            // The transforms run in the pipeline (TransformChain), not in the engine.
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
        if (!source.config().containsKey(POLL_INTERVAL)) {
            props.setProperty(POLL_INTERVAL, DEFAULT_POLL_INTERVAL_MS);
        }
        return props;
    }
}
