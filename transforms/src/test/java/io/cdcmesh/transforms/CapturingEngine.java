package io.cdcmesh.transforms;

import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.SqlServer;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.embedded.Connect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.apache.kafka.connect.source.SourceRecord;

/** Runs Debezium's embedded engine against a test-kit database and keeps every record it emits, untransformed. */
final class CapturingEngine implements AutoCloseable {
    private final List<SourceRecord> records = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-engine"));
    private final DebeziumEngine<ChangeEvent<SourceRecord, SourceRecord>> engine;

    CapturingEngine(SqlServer server, String connectorClass, String database, Path workDir, Map<String, String> extra) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties props = new Properties();
        props.putAll(server.debeziumConnection());
        props.put("name", "capture-" + database);
        props.put("connector.class", connectorClass);
        props.put("topic.prefix", "studio");
        props.put("database.include.list", database);
        props.put("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
        props.put("offset.storage.file.filename", workDir.resolve("offsets.dat").toString());
        props.put("offset.flush.interval.ms", "1000");
        props.put("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
        props.put("schema.history.internal.file.filename", workDir.resolve("schema-history.dat").toString());
        props.put("poll.interval.ms", "20");
        props.put("include.schema.changes", "true");
        props.putAll(extra);
        engine = DebeziumEngine.create(Connect.class)
                .using(props)
                .notifying(event -> {
                    synchronized (records) {
                        records.add(event.value());
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error != null ? error : new IllegalStateException(message));
                    }
                })
                .build();
        executor.execute(engine);
    }

    /** Waits until {@code count} records matching {@code filter} have arrived, and returns all matching ones so far. */
    List<SourceRecord> await(String what, int count, Predicate<SourceRecord> filter) {
        return Await.value(Duration.ofSeconds(90), what, () -> {
            if (failure.get() != null) {
                throw new Await.Abort("Debezium engine stopped: " + failure.get().getMessage(), failure.get());
            }
            synchronized (records) {
                return records.stream().filter(filter).toList();
            }
        }, matching -> matching.size() >= count);
    }

    List<SourceRecord> all() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    @Override
    public void close() throws Exception {
        engine.close();
        executor.shutdown();
        if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Debezium engine did not stop in 60 s");
        }
    }
}
