package io.cdcmesh.runtime.embedded;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.runtime.errors.DeadLetterQueueReporter;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * The source side's dead letters in {@code cdc-mesh run}: records a source transform set aside (cdc-mesh's
 * {@code NormalizeChangeEvent} routes a change it cannot normalize to its {@code dead.letter.topic}, with Connect's
 * {@code __connect.errors.*} headers) are written to that topic on the dead-letter cluster, or without one to
 * {@code data.dir/dead-letter/<topic>.jsonl}, instead of reaching the sinks. {@link #offer} returns only once the
 * record is durable there, so its source offset is never committed before it.
 */
final class SourceDeadLetters implements AutoCloseable {
    private final RuntimeSettings runtime;
    private final String connector;
    private final Map<String, ErrantRecordReporter> reporters = new HashMap<>();
    private final AtomicLong count = new AtomicLong();

    SourceDeadLetters(RuntimeSettings runtime, String connector) {
        this.runtime = runtime;
        this.connector = connector;
    }

    /** Whether a source transform set this record aside for a dead-letter topic. */
    static boolean isDeadLetter(SourceRecord record) {
        return record.headers().lastWithName(DeadLetterQueueReporter.ERROR_HEADER_STAGE) != null;
    }

    /**
     * Writes the record to its dead-letter topic or file and waits until it is durable (engine thread).
     *
     * @param seq the record's number in the pipeline, written as its offset
     */
    void offer(SourceRecord record, long seq) throws InterruptedException {
        String originalTopic = header(record, DeadLetterQueueReporter.ERROR_HEADER_ORIG_TOPIC, record.topic());
        String reason = header(record, DeadLetterQueueReporter.ERROR_HEADER_EXCEPTION_MESSAGE, "set aside by a source transform");
        SinkRecord asWritten = new SinkRecord(originalTopic, 0, record.keySchema(), record.key(), record.valueSchema(),
                record.value(), seq, record.timestamp(), TimestampType.NO_TIMESTAMP_TYPE, record.headers());
        try {
            reporter(record.topic()).report(asWritten, new DataException(reason)).get();
            count.incrementAndGet();
        } catch (ExecutionException e) {
            throw new PipelineException("Could not write a change from " + originalTopic + " to the source's dead-letter topic "
                    + record.topic() + ": " + e.getCause(), e.getCause());
        }
    }

    /** Records written to the source's dead-letter topics or files so far. */
    long count() {
        return count.get();
    }

    private ErrantRecordReporter reporter(String topic) {
        return reporters.computeIfAbsent(topic, t -> runtime.deadLetterBootstrap() != null
                ? new DeadLetterTopic(runtime.deadLetterBootstrap(), runtime.deadLetterClient(), t, connector)
                : new DeadLetterFile(fileFor(runtime.dataDir(), t)));
    }

    static Path fileFor(Path dataDir, String topic) {
        return dataDir.resolve("dead-letter").resolve(topic.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl");
    }

    private static String header(SourceRecord record, String name, String otherwise) {
        Header header = record.headers().lastWithName(name);
        if (header == null || header.value() == null) {
            return otherwise;
        }
        Object value = header.value();
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : value.toString();
    }

    @Override
    public void close() throws Exception {
        for (ErrantRecordReporter reporter : List.copyOf(reporters.values())) {
            ((AutoCloseable) reporter).close();
        }
        reporters.clear();
    }
}
