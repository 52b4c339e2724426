package io.cdcmesh.bench.embedded;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The source's ceiling: Debezium's embedded engine in this JVM, built as {@code cdc-mesh run} builds it (the same
 * format, file offsets, file schema history and ordered processing), into a consumer that only counts the change
 * records of the captured tables and marks them processed. Offsets persist in {@code dataDir}, so a second
 * {@link #start()} resumes where the first stopped.
 */
final class DebeziumAlone {
    private final Properties properties = new Properties();
    private final String tableTopicPrefix;
    private final AtomicLong changes = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile long firstAt;
    private volatile long lastAt;
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private Thread thread;

    /** @param source the Debezium connector keys, as in a pipeline file's source section, without transforms */
    DebeziumAlone(Map<String, String> source, Path dataDir, String database) {
        properties.putAll(source);
        properties.setProperty("name", "debezium-alone");
        properties.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        properties.setProperty("offset.storage.file.filename", dataDir.resolve("source-offsets.dat").toString());
        properties.setProperty("offset.flush.interval.ms", "1000");
        properties.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        properties.setProperty("schema.history.internal.file.filename", dataDir.resolve("schema-history.dat").toString());
        properties.setProperty("record.processing.order", "ORDERED");
        this.tableTopicPrefix = source.get("topic.prefix") + "." + database + ".";
    }

    /** Starts the engine with fresh counters; returns at once. */
    void start() {
        changes.set(0);
        firstAt = 0;
        engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .using((success, message, error) -> {
                    if (!success) {
                        failure.compareAndSet(null, error != null ? error : new IllegalStateException(message));
                    }
                })
                .notifying(this::count)
                .build();
        thread = new Thread(engine, "debezium-alone");
        thread.start();
    }

    private void count(List<RecordChangeEvent<SourceRecord>> events, DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        long now = System.nanoTime();
        long counted = 0;
        for (RecordChangeEvent<SourceRecord> event : events) {
            SourceRecord record = event.record();
            if (record.value() != null && record.topic().startsWith(tableTopicPrefix)) {
                counted++;
            }
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        if (counted > 0) {
            if (firstAt == 0) {
                firstAt = now;
            }
            lastAt = System.nanoTime();
            changes.addAndGet(counted);
        }
    }

    /** Change records of the captured tables since {@link #start()}; throws once the engine failed. */
    long changes() {
        if (failure.get() != null) {
            throw new IllegalStateException("Debezium's engine failed", failure.get());
        }
        return changes.get();
    }

    /** When the first batch holding a change arrived, and when the last one was counted (System.nanoTime). */
    long firstAt() {
        return firstAt;
    }

    long lastAt() {
        return lastAt;
    }

    /** Stops the engine, which commits the offsets of what it handed over. */
    void stop() throws IOException, InterruptedException {
        engine.close();
        thread.join(60_000);
        if (thread.isAlive()) {
            throw new IllegalStateException("Debezium's engine did not stop in 60 s");
        }
    }
}
