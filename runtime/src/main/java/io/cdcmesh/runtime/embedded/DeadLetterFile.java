package io.cdcmesh.runtime.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.common.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The embedded runtime's dead-letter queue: one JSON object per line with the record's topic, offset, key, value,
 * headers and the reason, appended and forced to disk before {@link #report} completes, so a record is never both
 * skipped and unrecorded.
 */
final class DeadLetterFile implements ErrantRecordReporter, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final FileChannel channel;
    private final JsonConverter converter = new JsonConverter();
    private final AtomicLong records = new AtomicLong();

    DeadLetterFile(Path path) {
        this.path = path;
        try {
            // Dead letters hold rows: readable by the owner only.
            OwnerOnly.directories(path.toAbsolutePath().getParent());
            channel = FileChannel.open(path, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND),
                    OwnerOnly.fileAttributes());
            OwnerOnly.restrict(path);
        } catch (IOException e) {
            throw new PipelineException("Cannot open the dead-letter file " + path + ": " + e.getMessage(), e);
        }
        converter.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
    }

    Path path() {
        return path;
    }

    long records() {
        return records.get();
    }

    @Override
    public synchronized Future<Void> report(SinkRecord record, Throwable error) {
        ObjectNode line = JSON.createObjectNode();
        line.put("topic", record.topic());
        line.put("partition", record.kafkaPartition());
        line.put("offset", record.kafkaOffset());
        line.put("timestamp", record.timestamp());
        line.put("error", error.getClass().getName() + ": " + error.getMessage());
        if (error.getCause() != null) {
            line.put("cause", error.getCause().toString());
        }
        line.set("key", render(record.topic(), record.keySchema(), record.key()));
        line.set("value", render(record.topic(), record.valueSchema(), record.value()));
        ObjectNode headers = line.putObject("headers");
        for (Header header : record.headers()) {
            headers.put(header.key(), String.valueOf(header.value()));
        }
        try {
            channel.write(StandardCharsets.UTF_8.encode(JSON.writeValueAsString(line) + "\n"));
            channel.force(false);
            records.incrementAndGet();
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private JsonNode render(String topic, Schema schema, Object value) {
        try {
            byte[] bytes = converter.fromConnectData(topic, schema, value);
            return bytes == null ? JSON.nullNode() : JSON.readTree(bytes);
        } catch (Exception e) {
            return JSON.getNodeFactory().textNode(String.valueOf(value));
        }
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // nothing left to write
        }
    }
}
