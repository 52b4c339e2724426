package io.cdcmesh.runtime.embedded;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/**
 * The embedded runtime's dead-letter queue on a Kafka topic, as a Connect worker writes it: the record's key and value
 * (JSON), its headers, and the {@code __connect.errors.*} context headers Connect adds with
 * {@code errors.deadletterqueue.context.headers.enable}. {@link #report} completes when the broker acknowledged the
 * write (idempotent producer, {@code acks=all}).
 */
final class DeadLetterTopic implements ErrantRecordReporter, AutoCloseable {
    private final String topic;
    private final String connector;
    private final KafkaProducer<byte[], byte[]> producer;
    private final JsonConverter keys = new JsonConverter();
    private final JsonConverter values = new JsonConverter();
    private final SimpleHeaderConverter headers = new SimpleHeaderConverter();

    /** {@code client}: the cluster's TLS and authentication settings (security.protocol, ssl.*, sasl.*). */
    DeadLetterTopic(String bootstrapServers, Map<String, String> client, String topic, String connector) {
        this.topic = topic;
        this.connector = connector;
        createIfMissing(bootstrapServers, client, topic);
        producer = new KafkaProducer<>(producerSettings(bootstrapServers, client, connector), new ByteArraySerializer(),
                new ByteArraySerializer());
        keys.configure(Map.of("schemas.enable", "false", "converter.type", "key"));
        values.configure(Map.of("schemas.enable", "false", "converter.type", "value"));
        headers.configure(Map.of("converter.type", "header"));
    }

    static Map<String, Object> producerSettings(String bootstrapServers, Map<String, String> client, String connector) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.CLIENT_ID_CONFIG, "cdc-mesh-dlq-" + connector);
        return settings;
    }

    /** As Connect's reporter does: a missing dead-letter topic is created (with the broker's defaults) at start. */
    private static void createIfMissing(String bootstrapServers, Map<String, String> client, String topic) {
        Map<String, Object> settings = new HashMap<>(client);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(settings)) {
            if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.empty(),
                        Optional.empty()))).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new PipelineException("Cannot create the dead-letter topic '" + topic + "' at " + bootstrapServers + ": "
                        + e.getCause(), e);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineException("Interrupted while creating the dead-letter topic '" + topic + "'", e);
        } catch (TimeoutException e) {
            throw new PipelineException("The dead-letter cluster at " + bootstrapServers + " did not answer in 30 s", e);
        }
    }

    @Override
    public Future<Void> report(SinkRecord record, Throwable error) {
        RecordHeaders out = new RecordHeaders();
        for (Header header : record.headers()) {
            out.add(header.key(), headers.fromConnectHeader(topic, header.key(), header.schema(), header.value()));
        }
        context(out, "topic", record.topic());
        context(out, "partition", Integer.toString(record.kafkaPartition()));
        context(out, "offset", Long.toString(record.kafkaOffset()));
        context(out, "connector.name", connector);
        context(out, "exception.class.name", error.getClass().getName());
        context(out, "exception.message", String.valueOf(error.getMessage()));
        byte[] key;
        byte[] value;
        try {
            key = keys.fromConnectData(topic, record.keySchema(), record.key());
            value = values.fromConnectData(topic, record.valueSchema(), record.value());
        } catch (RuntimeException e) {
            key = null;
            value = String.valueOf(record.value()).getBytes(StandardCharsets.UTF_8);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, null, record.timestamp(), key, value, out), (metadata, failure) -> {
            if (failure == null) {
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        });
        return done;
    }

    /** A context header, unless the record carries it already (a source transform's dead letter names its own). */
    private static void context(RecordHeaders out, String name, String value) {
        if (out.lastHeader("__connect.errors." + name) == null) {
            out.add("__connect.errors." + name, value.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
