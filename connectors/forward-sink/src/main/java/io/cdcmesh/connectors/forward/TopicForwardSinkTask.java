package io.cdcmesh.connectors.forward;

import io.cdcmesh.common.Backoff;
import io.cdcmesh.common.CheckedSinkConnector;
import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.common.sink.ErrantRecords;
import io.cdcmesh.common.sink.RetryPause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.HeaderConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces each record to the target topic with its key (so the default partitioner keeps one key on one partition,
 * in order) and its headers. Every record stays unacknowledged until its produce is; {@link #preCommit} reports, per
 * consumed partition, only the offset below the first unacknowledged one.
 *
 * <p>A send that fails with a retriable error (the target cluster down, a timeout, a topic deleted under it) replaces
 * the producer, asks the worker to deliver again every record not acknowledged (including those of the batch in
 * hand) and pauses for a backoff; answers of the replaced producer are ignored, so a late acknowledgement can't
 * count for a record sent again. A record too large for the target goes to the dead-letter queue; any other failure
 * stops the task.
 */
public class TopicForwardSinkTask extends SinkTask {
    private static final Logger LOG = LoggerFactory.getLogger(TopicForwardSinkTask.class);

    private final Function<Map<String, Object>, Producer<byte[], byte[]>> producers;
    private final Function<TopicForwardSinkConfig, TargetTopics> targetTopicsOf;

    private TopicForwardSinkConfig config;
    private Converter keyConverter;
    private Converter valueConverter;
    private HeaderConverter headerConverter;
    private Producer<byte[], byte[]> producer;
    private TargetTopics targetTopics;
    private ErrantRecords deadLetters;
    private RetryPause retry;
    private ForwardSinkTaskMetrics metrics;

    private final AckTracker tracker = new AckTracker();
    /** Which producer a send belongs to: answers from a replaced one are ignored. */
    private volatile int generation;
    private volatile boolean acknowledgedSinceFailure;
    private final AtomicReference<Failure> sendFailure = new AtomicReference<>();
    private final Queue<Refused> refused = new ConcurrentLinkedQueue<>();

    private record Failure(int generation, Exception error) {}

    private record Refused(SinkRecord record, AckTracker.Entry entry, Exception reason) {}

    public TopicForwardSinkTask() {
        this(KafkaProducer::new, TargetTopics.OnCluster::new);
    }

    /** With the producer and topic checks given, for tests. */
    TopicForwardSinkTask(Function<Map<String, Object>, Producer<byte[], byte[]>> producers,
            Function<TopicForwardSinkConfig, TargetTopics> targetTopicsOf) {
        this.producers = producers;
        this.targetTopicsOf = targetTopicsOf;
    }

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
        producer = producers.apply(config.producerSettings());
        targetTopics = targetTopicsOf.apply(config);
        deadLetters = new ErrantRecords(context, "set errors.tolerance=all and errors.deadletterqueue.topic.name");
        retry = new RetryPause(new Backoff(config.getLong(TopicForwardSinkConfig.RETRY_BACKOFF_MS),
                config.getLong(TopicForwardSinkConfig.RETRY_BACKOFF_MAX_MS)), config.getInt(TopicForwardSinkConfig.MAX_RETRIES),
                "the target cluster");
        metrics = new ForwardSinkTaskMetrics(tracker::outstanding)
                .register(props.getOrDefault("name", "forward-sink"), props.getOrDefault(CheckedSinkConnector.TASK_ID, "0"));
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        long now = System.currentTimeMillis();
        reportRefused();
        if (acknowledgedSinceFailure && retry.attempts() > 0) {
            retry.succeeded(context);
        } else {
            retry.resumeWhenDue(context, now);
        }
        for (SinkRecord record : records) {
            targetTopics.ensure(config.targetTopic(record.topic())); // retriable: the worker delivers the batch again
        }
        // Tracked before anything is sent, so that a rewind covers every record of the batch, of every partition.
        List<AckTracker.Entry> entries = new ArrayList<>(records.size());
        for (SinkRecord record : records) {
            entries.add(tracker.track(record));
        }
        if (recoverFromFailedSend(now)) {
            return; // this batch comes again after the rewind, in order
        }
        int sending = generation;
        int i = 0;
        for (SinkRecord record : records) {
            AckTracker.Entry entry = entries.get(i++);
            ProducerRecord<byte[], byte[]> out;
            try {
                out = convert(record);
            } catch (DataException e) {
                deadLetter(record, e);
                tracker.done(entry);
                continue;
            }
            long commitTs = ChangeEventView.commitTs(record.value());
            try {
                producer.send(out, (metadata, error) -> answered(sending, record, entry, commitTs, error));
            } catch (RetriableException e) {
                failed(sending, e); // the rest of the batch is tracked and not done: the rewind delivers it again
                return;
            } catch (RuntimeException e) {
                // A closed producer, an interrupt, a bad record: retrying would not help.
                throw new ConnectException("Producing to the target topic failed and cannot be retried", e);
            }
        }
    }

    /** A produce's answer, on the producer's I/O thread. */
    private void answered(int sentBy, SinkRecord record, AckTracker.Entry entry, long commitTs, Exception error) {
        if (sentBy != generation) {
            return; // a replaced producer's answer: the record was rewound and is sent again
        }
        if (error == null) {
            tracker.done(entry);
            acknowledgedSinceFailure = true;
            metrics.acknowledged(commitTs, System.currentTimeMillis());
        } else if (error instanceof RecordTooLargeException) {
            refused.add(new Refused(record, entry, error));
        } else {
            failed(sentBy, error);
        }
    }

    private void failed(int sentBy, Exception error) {
        sendFailure.compareAndSet(null, new Failure(sentBy, error));
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

    /** Records the target refused (too large) go to the dead-letter queue; then they no longer hold their offsets. */
    private void reportRefused() {
        for (Refused r; (r = refused.poll()) != null; ) {
            deadLetter(r.record(), r.reason());
            tracker.done(r.entry());
        }
    }

    private void deadLetter(SinkRecord record, Exception reason) {
        deadLetters.report(record, reason);
        metrics.deadLettered();
    }

    /**
     * After a failed send: a retriable failure replaces the producer, rewinds every partition to its first
     * unacknowledged record and pauses for a backoff (true); anything else stops the task.
     */
    private boolean recoverFromFailedSend(long now) {
        Failure failure = sendFailure.get();
        if (failure == null) {
            return false;
        }
        if (failure.generation() != generation) {
            sendFailure.compareAndSet(failure, null);
            return false;
        }
        if (!(failure.error() instanceof RetriableException)) {
            throw new ConnectException("Producing to the target topic failed and cannot be retried", failure.error());
        }
        generation++;
        acknowledgedSinceFailure = false;
        producer.close(Duration.ZERO);
        Map<TopicPartition, Long> rewind = tracker.rewind();
        refused.clear();
        sendFailure.set(null);
        targetTopics.forget(); // a topic deleted under the task is looked up (and created) again
        metrics.retried();
        LOG.warn("Producing to the target failed ({}); new producer, partitions rewound to {}", failure.error().getMessage(), rewind);
        context.offset(rewind);
        producer = producers.apply(config.producerSettings());
        retry.failed(context, now, failure.error());
        return true;
    }

    @Override
    public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        reportRefused();
        return deadLetters.committable(tracker, currentOffsets);
    }

    @Override
    public void flush(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
        // preCommit reports what was acknowledged; nothing waits here.
    }

    @Override
    public void close(Collection<TopicPartition> closed) {
        tracker.forget(closed);
    }

    @Override
    public void stop() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
        }
        if (targetTopics != null) {
            targetTopics.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }
}
