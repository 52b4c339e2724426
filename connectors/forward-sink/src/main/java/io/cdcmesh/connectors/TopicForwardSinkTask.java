package io.cdcmesh.connectors;

import io.cdcmesh.common.CheckedSinkConnector;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each record to the target topic with its key (so the default partitioner keeps one key on one partition,
 * in order) and its headers. Every sent offset stays "in flight" until its produce is acknowledged; {@link #preCommit}
 * reports, per partition, only the offset below the first unacknowledged one.
 *
 * <p>A send that fails with a retriable error (the target cluster down, a timeout) replaces the producer and rewinds
 * every partition to its first unacknowledged offset, so the records are produced again in their order; the task
 * never dies of an unreachable cluster. A record too large for the target goes to the dead-letter queue.
 */
public class TopicForwardSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(TopicForwardSinkTask.class);

    private TopicForwardSinkConfig config;
    private Converter keyConverter;
    private Converter valueConverter;
    private HeaderConverter headerConverter;
    private Producer<byte[], byte[]> producer;
    private ErrantRecordReporter reporter;
    private ForwardSinkTaskMetrics metrics;

    /** Per source partition: offsets sent but not acknowledged, and the offset after the last one put. */
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private final Object lock = new Object();
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final Queue<Refused> refused = new ConcurrentLinkedQueue<>();
    private final java.util.Set<String> targetTopics = new java.util.HashSet<>();
    private org.apache.kafka.clients.admin.Admin admin;

    private static final class Partition {
        final TreeSet<Long> inFlight = new TreeSet<>();
        long next = -1;

        long committable() {
            return inFlight.isEmpty() ? next : inFlight.first();
        }
    }

    private record Refused(SinkRecord record, Exception reason) {}

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void start(Map<String, String> props) {
        config = new TopicForwardSinkConfig(props);
        // Created plainly and configured with their own prefixed settings, as a worker configures its converters.
        keyConverter = Utils.newInstance(config.getClass(TopicForwardSinkConfig.TARGET_KEY_CONVERTER), Converter.class);
        keyConverter.configure(config.originalsWithPrefix(TopicForwardSinkConfig.TARGET_KEY_CONVERTER + "."), true);
        valueConverter = Utils.newInstance(config.getClass(TopicForwardSinkConfig.TARGET_VALUE_CONVERTER), Converter.class);
        valueConverter.configure(config.originalsWithPrefix(TopicForwardSinkConfig.TARGET_VALUE_CONVERTER + "."), false);
        headerConverter = Utils.newInstance(config.getClass(TopicForwardSinkConfig.TARGET_HEADER_CONVERTER), HeaderConverter.class);
        Map<String, Object> headerSettings = new HashMap<>(config.originalsWithPrefix(TopicForwardSinkConfig.TARGET_HEADER_CONVERTER + "."));
        headerSettings.putIfAbsent("converter.type", "header");
        headerConverter.configure(headerSettings);
        producer = new KafkaProducer<>(config.producerSettings());
        try {
            reporter = context == null ? null : context.errantRecordReporter();
        } catch (NoSuchMethodError | NoClassDefFoundError e) {
            reporter = null; // a worker older than Kafka 2.6
        }
        metrics = new ForwardSinkTaskMetrics(this::inFlight)
                .register(props.getOrDefault("name", "forward-sink"), props.getOrDefault(CheckedSinkConnector.TASK_ID, "0"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        reportRefused();
        if (recoverFromFailedSend()) {
            return; // the records of this batch come again after the rewind, in order
        }
        for (SinkRecord record : records) {
            ensureTargetTopic(config.targetTopic(record.topic()));
        }
        for (SinkRecord record : records) {
            TopicPartition tp = new TopicPartition(record.topic(), record.kafkaPartition());
            Partition partition;
            synchronized (lock) {
                partition = partitions.computeIfAbsent(tp, k -> new Partition());
            }
            ProducerRecord<byte[], byte[]> out;
            try {
                out = convert(record);
            } catch (DataException e) {
                deadLetter(record, e);
                synchronized (lock) {
                    partition.next = record.kafkaOffset() + 1;
                }
                continue;
            }
            long offset = record.kafkaOffset();
            long commitTs = commitTs(record);
            synchronized (lock) {
                partition.inFlight.add(offset);
                partition.next = offset + 1;
            }
            try {
                producer.send(out, (metadata, error) -> {
                    if (error == null) {
                        synchronized (lock) {
                            partition.inFlight.remove(offset);
                        }
                        metrics.acknowledged(commitTs, System.currentTimeMillis());
                    } else if (error instanceof RecordTooLargeException) {
                        refused.add(new Refused(record, error));
                    } else {
                        sendFailure.compareAndSet(null, error);
                    }
                });
            } catch (RuntimeException e) {
                sendFailure.compareAndSet(null, e);
                return;
            }
        }
    }

    /**
     * Makes sure the target topic exists before anything is sent to it: created (target.topic.create) or refused by
     * name. An unreachable cluster is a RetriableException, so the batch comes again.
     */
    private void ensureTargetTopic(String topic) {
        if (targetTopics.contains(topic)) {
            return;
        }
        if (admin == null) {
            admin = org.apache.kafka.clients.admin.Admin.create(config.adminSettings());
        }
        try {
            try {
                admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)) {
                    throw e;
                }
                if (!config.getBoolean(TopicForwardSinkConfig.TARGET_TOPIC_CREATE)) {
                    throw new ConnectException("The target topic '" + topic + "' does not exist and "
                            + TopicForwardSinkConfig.TARGET_TOPIC_CREATE + " is false");
                }
                int partitions = config.getInt(TopicForwardSinkConfig.TARGET_TOPIC_PARTITIONS);
                short replication = config.getShort(TopicForwardSinkConfig.TARGET_TOPIC_REPLICATION_FACTOR);
                org.apache.kafka.clients.admin.NewTopic created = new org.apache.kafka.clients.admin.NewTopic(topic,
                        partitions < 0 ? java.util.Optional.empty() : java.util.Optional.of(partitions),
                        replication < 0 ? java.util.Optional.empty() : java.util.Optional.of(replication));
                try {
                    admin.createTopics(java.util.List.of(created)).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
                    LOG.info("Created the target topic '{}'", topic);
                } catch (java.util.concurrent.ExecutionException exists) {
                    if (!(exists.getCause() instanceof org.apache.kafka.common.errors.TopicExistsException)) {
                        throw exists;
                    }
                }
            }
            targetTopics.add(topic);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.connect.errors.RetriableException("Interrupted while checking the target topic '" + topic + "'", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof RetriableException || e instanceof java.util.concurrent.TimeoutException) {
                throw new org.apache.kafka.connect.errors.RetriableException("The target cluster did not answer for topic '"
                        + topic + "': " + cause, cause);
            }
            throw new ConnectException("The target topic '" + topic + "' is not usable: " + cause, cause);
        }
    }

    private ProducerRecord<byte[], byte[]> convert(SinkRecord record) {
        String topic = config.targetTopic(record.topic());
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header.key(), headerConverter.fromConnectHeader(topic, header.key(), header.schema(), header.value()));
        }
        byte[] key = keyConverter.fromConnectData(topic, headers, record.keySchema(), record.key());
        byte[] value = valueConverter.fromConnectData(topic, headers, record.valueSchema(), record.value());
        return new ProducerRecord<>(topic, null, record.timestamp(), key, value, headers);
    }

    /** The event's source commit time ({@code ts}), or -1 if the value has none. */
    private static long commitTs(SinkRecord record) {
        Object value = record.value();
        Object ts = null;
        if (value instanceof Struct struct && struct.schema().field("ts") != null) {
            ts = struct.get("ts");
        } else if (value instanceof Map<?, ?> map) {
            ts = map.get("ts");
        }
        return ts instanceof Number n ? n.longValue() : -1;
    }

    /** Records the target refused (too large) go to the dead-letter queue; then they no longer hold their offsets. */
    private void reportRefused() {
        for (Refused r; (r = refused.poll()) != null; ) {
            deadLetter(r.record(), r.reason());
            synchronized (lock) {
                Partition partition = partitions.get(new TopicPartition(r.record().topic(), r.record().kafkaPartition()));
                if (partition != null) {
                    partition.inFlight.remove(r.record().kafkaOffset());
                }
            }
        }
    }

    private void deadLetter(SinkRecord record, Exception reason) {
        String where = record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
        if (reporter == null) {
            throw new ConnectException("Cannot forward the record at " + where + " and no dead-letter queue is configured"
                    + " (errors.tolerance=all with errors.deadletterqueue.topic.name)", reason);
        }
        LOG.warn("Record at {} sent to the dead-letter queue: {}", where, reason.getMessage());
        try {
            reporter.report(record, reason).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConnectException("Interrupted while reporting the record at " + where, e);
        } catch (Exception e) {
            throw new ConnectException("The dead-letter queue did not take the record at " + where, e);
        }
        metrics.deadLettered();
    }

    /**
     * After a failed send: a retriable failure replaces the producer and rewinds each partition to its first
     * unacknowledged offset (true); anything else fails the task.
     */
    private boolean recoverFromFailedSend() {
        Exception failure = sendFailure.get();
        if (failure == null) {
            return false;
        }
        if (!(failure instanceof RetriableException)) {
            throw new ConnectException("Producing to the target topic failed and cannot be retried", failure);
        }
        producer.close(Duration.ZERO);
        Map<TopicPartition, Long> rewind = new HashMap<>();
        synchronized (lock) {
            partitions.forEach((tp, partition) -> {
                long from = partition.committable();
                if (from >= 0) {
                    rewind.put(tp, from);
                    partition.inFlight.clear();
                    partition.next = from;
                }
            });
        }
        refused.clear();
        sendFailure.set(null);
        metrics.retried();
        LOG.warn("Producing to the target failed ({}); new producer, partitions rewound to {}", failure.getMessage(), rewind);
        context.offset(rewind);
        producer = new KafkaProducer<>(config.producerSettings());
        return true;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        reportRefused();
        Map<TopicPartition, OffsetAndMetadata> acknowledged = new HashMap<>();
        synchronized (lock) {
            partitions.forEach((tp, partition) -> {
                long offset = partition.committable();
                if (offset >= 0) {
                    acknowledged.put(tp, new OffsetAndMetadata(offset));
                }
            });
        }
        return acknowledged;
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit reports what was acknowledged; nothing waits here.
    }

    @Override
    public void close(Collection<TopicPartition> closed) {
        synchronized (lock) {
            closed.forEach(partitions::remove);
        }
    }

    private long inFlight() {
        synchronized (lock) {
            return partitions.values().stream().mapToLong(p -> p.inFlight.size()).sum();
        }
    }

    @Override
    public void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
