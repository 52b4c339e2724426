package io.cdcmesh.connectors.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.testkit.RecordingSinkContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The forward sink's acknowledgement and rewind logic against a producer that answers when the test says. */
class TopicForwardSinkTaskTest {
    private static final TopicPartition P0 = new TopicPartition("cdc.shop.orders", 0);
    private static final TopicPartition P1 = new TopicPartition("cdc.shop.orders", 1);
    private static final TopicPartition P2 = new TopicPartition("cdc.shop.orders", 2);

    private final List<MockProducer<byte[], byte[]>> producers = new ArrayList<>();
    private final List<String> ensured = new ArrayList<>();
    private int forgotten;
    private final RecordingSinkContext context = new RecordingSinkContext(P0, P1, P2);
    private TopicForwardSinkTask task;

    @BeforeEach
    void start() {
        task = new TopicForwardSinkTask(settings -> {
            MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
            producers.add(producer);
            return producer;
        }, config -> new TargetTopics() {
            @Override
            public void ensure(String topic) {
                ensured.add(topic);
            }

            @Override
            public void forget() {
                forgotten++;
            }

            @Override
            public void close() {}
        });
        task.initialize(context);
        task.start(Map.of("name", "forward-test-" + System.nanoTime(), "topics", P0.topic(),
                "target.topic", "filtered.${topic}", "target.bootstrap.servers", "127.0.0.1:9",
                "target.key.converter", "org.apache.kafka.connect.storage.StringConverter",
                "target.value.converter", "org.apache.kafka.connect.storage.StringConverter",
                "retry.backoff.ms", "1", "retry.backoff.max.ms", "1"));
    }

    @AfterEach
    void stop() {
        task.stop();
    }

    private static SinkRecord record(TopicPartition tp, long offset) {
        return new SinkRecord(tp.topic(), tp.partition(), Schema.STRING_SCHEMA, "k" + offset, Schema.STRING_SCHEMA, "v" + offset, offset);
    }

    /** What the worker says it delivered, per partition: the offset after the last record. */
    private static Map<TopicPartition, OffsetAndMetadata> delivered(long p0, long p1, long p2) {
        return Map.of(P0, new OffsetAndMetadata(p0), P1, new OffsetAndMetadata(p1), P2, new OffsetAndMetadata(p2));
    }

    private MockProducer<byte[], byte[]> producer() {
        return producers.get(producers.size() - 1);
    }

    @Test
    void offsetsAreCommittedOnlyBelowTheFirstUnacknowledgedRecord() {
        task.put(List.of(record(P0, 10), record(P0, 11), record(P1, 5)));
        Map<TopicPartition, OffsetAndMetadata> delivered = delivered(12, 6, 0);
        assertThat(task.preCommit(delivered)).containsOnly(Map.entry(P0, new OffsetAndMetadata(10)),
                Map.entry(P1, new OffsetAndMetadata(5)), Map.entry(P2, new OffsetAndMetadata(0)));
        producer().completeNext(); // P0@10
        assertThat(task.preCommit(delivered)).containsEntry(P0, new OffsetAndMetadata(11)).containsEntry(P1, new OffsetAndMetadata(5));
        producer().completeNext();
        producer().completeNext();
        assertThat(task.preCommit(delivered)).isEqualTo(delivered);
        assertThat(producer().history()).extracting(r -> r.topic()).containsOnly("filtered.cdc.shop.orders");
    }

    @Test
    void aRenamedTopicIsCommittedUnderThePartitionTheWorkerConsumed() {
        SinkRecord renamed = record(P2, 7).newRecord("orders", 0, Schema.STRING_SCHEMA, "k", Schema.STRING_SCHEMA, "v", null);
        task.put(List.of(renamed));
        assertThat(task.preCommit(delivered(0, 0, 8))).as("not yet acknowledged").containsEntry(P2, new OffsetAndMetadata(7));
        producer().completeNext();
        assertThat(producer().history().get(0).topic()).isEqualTo("filtered.orders");
        assertThat(task.preCommit(delivered(0, 0, 8))).containsEntry(P2, new OffsetAndMetadata(8));
    }

    @Test
    void aTransientFailureRewindsEveryPartitionIncludingThoseFirstSeenInTheBatchInHand() {
        task.put(List.of(record(P0, 10), record(P0, 11)));
        MockProducer<byte[], byte[]> first = producer();
        first.completeNext(); // P0@10 acknowledged
        first.errorNext(new TimeoutException("target down")); // P0@11 failed

        // The next batch brings two partitions the task has never seen; none of it may be skipped.
        task.put(List.of(record(P1, 3), record(P2, 0), record(P0, 12)));

        assertThat(context.rewinds).containsOnly(Map.entry(P0, 11L), Map.entry(P1, 3L), Map.entry(P2, 0L));
        assertThat(producers).as("the failed producer is replaced").hasSize(2);
        assertThat(first.closed()).isTrue();
        assertThat(context.paused).as("paused for the backoff").containsExactlyInAnyOrder(P0, P1, P2);
        assertThat(forgotten).as("target topics are looked up again").isEqualTo(1);
        assertThat(task.preCommit(delivered(13, 4, 1))).as("the worker applies the rewind only before its next poll")
                .containsOnly(Map.entry(P0, new OffsetAndMetadata(11)), Map.entry(P1, new OffsetAndMetadata(3)),
                        Map.entry(P2, new OffsetAndMetadata(0)));

        // Delivered again from the rewind: sent by the new producer, and committed once acknowledged.
        task.put(List.of(record(P0, 11), record(P0, 12), record(P1, 3), record(P2, 0)));
        assertThat(producer().history()).hasSize(4);
        while (producer().completeNext()) { }
        assertThat(task.preCommit(delivered(13, 4, 1))).isEqualTo(delivered(13, 4, 1));
        task.put(List.of());
        assertThat(context.paused).as("the first acknowledgement after the failure resumes").isEmpty();
    }

    @Test
    void aLateAnswerOfTheReplacedProducerDoesNotAcknowledgeTheRecordSentAgain() {
        task.put(List.of(record(P0, 1), record(P0, 2)));
        MockProducer<byte[], byte[]> first = producer();
        first.errorNext(new TimeoutException("target down")); // P0@1
        task.put(List.of());
        assertThat(context.rewinds).containsOnly(Map.entry(P0, 1L));

        task.put(List.of(record(P0, 1), record(P0, 2)));
        first.completeNext(); // the old producer's answer for P0@2 arrives late
        assertThat(task.preCommit(delivered(3, 0, 0))).as("nothing sent by the new producer is acknowledged yet")
                .containsEntry(P0, new OffsetAndMetadata(1));
    }

    @Test
    void aRecordTooLargeForTheTargetGoesToTheDeadLetterQueueAndReleasesItsOffset() {
        task.put(List.of(record(P0, 4), record(P0, 5)));
        producer().errorNext(new RecordTooLargeException("too large"));
        producer().completeNext();
        assertThat(task.preCommit(delivered(6, 0, 0))).containsEntry(P0, new OffsetAndMetadata(6));
        assertThat(context.reported()).extracting(e -> e.getKey().kafkaOffset()).containsExactly(4L);
    }

    @Test
    void aFailureThatCannotBeRetriedStopsTheTask() {
        task.put(List.of(record(P0, 4)));
        producer().errorNext(new AuthorizationException("not allowed"));
        assertThatThrownBy(() -> task.put(List.of())).isInstanceOf(ConnectException.class)
                .hasMessageContaining("cannot be retried");
    }
}
