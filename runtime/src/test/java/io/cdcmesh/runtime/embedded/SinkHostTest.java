package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The embedded host's contract with a sink task, as a Connect worker keeps it, with a renaming transform in the chain. */
class SinkHostTest {
    private static final String TOPIC = "cdc.shop.orders";
    private static final TopicPartition CONSUMED = new TopicPartition(TOPIC, 0);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    /** A task that keeps what it was given and answers preCommit as told. */
    private static final class ScriptedTask extends SinkTask {
        final List<List<SinkRecord>> puts = new ArrayList<>();
        final List<Collection<TopicPartition>> opened = new ArrayList<>();
        volatile int preCommits;
        volatile Function<Map<TopicPartition, OffsetAndMetadata>, Map<TopicPartition, OffsetAndMetadata>> answer = current -> current;
        volatile Runnable onFirstPut = () -> { };

        @Override
        public String version() {
            return "test";
        }

        @Override
        public void start(Map<String, String> props) {}

        @Override
        public void open(Collection<TopicPartition> partitions) {
            opened.add(List.copyOf(partitions));
        }

        @Override
        public synchronized void put(Collection<SinkRecord> records) {
            if (!records.isEmpty()) {
                puts.add(List.copyOf(records));
                if (puts.size() == 1) {
                    onFirstPut.run();
                }
            }
        }

        @Override
        public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> current) {
            preCommits++;
            return answer.apply(current);
        }

        org.apache.kafka.connect.sink.SinkTaskContext context() {
            return context;
        }

        synchronized List<List<SinkRecord>> puts() {
            return List.copyOf(puts);
        }

        @Override
        public void stop() {}
    }

    private SinkHost host;

    @AfterEach
    void close() {
        if (host != null) {
            host.close();
        }
    }

    private SinkHost start(ScriptedTask task, ErrantRecordReporter reporter) {
        List<String> errors = new ArrayList<>();
        TransformChain<SinkRecord> renaming = TransformChain.build(Map.of("transforms", "route",
                "transforms.route.type", "org.apache.kafka.connect.transforms.RegexRouter",
                "transforms.route.regex", ".*", "transforms.route.replacement", "orders"),
                Class::forName, (key, message) -> errors.add(key + ": " + message));
        assertThat(errors).isEmpty();
        SinkHost.Settings settings = new SinkHost.Settings("test", Map.of(), topic -> true, renaming, reporter, true,
                100, 10, 20, 10);
        host = new SinkHost(settings, task, run -> run, failure -> { });
        host.start();
        return host;
    }

    private static List<SinkHost.Entry> entries(long... seqs) {
        List<SinkHost.Entry> entries = new ArrayList<>();
        for (long seq : seqs) {
            entries.add(new SinkHost.Entry(seq, new SourceRecord(Map.of(), Map.of(), TOPIC, 0, Schema.STRING_SCHEMA, "k" + seq,
                    Schema.STRING_SCHEMA, "v" + seq)));
        }
        return entries;
    }

    @Test
    void offsetsAreAskedForAndAcknowledgedUnderThePartitionConsumedNotTheRenamedOne() throws Exception {
        ScriptedTask task = new ScriptedTask();
        SinkHost host = start(task, null);
        host.enqueue(entries(0, 1, 2));

        Await.until(DEADLINE, "the frontier to pass every record", () -> host.frontier() == Long.MAX_VALUE);
        assertThat(task.puts().get(0)).extracting(SinkRecord::topic).containsOnly("orders");
        assertThat(task.opened.get(0)).containsExactly(CONSUMED);
        assertThat(host.acknowledged()).isEqualTo(3);
    }

    @Test
    void anAnswerForAPartitionNotGivenOrPastWhatWasDeliveredIsIgnored() throws Exception {
        ScriptedTask task = new ScriptedTask();
        task.answer = current -> Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(3), CONSUMED, new OffsetAndMetadata(99));
        SinkHost host = start(task, null);
        host.enqueue(entries(0, 1, 2));

        Await.until(DEADLINE, "three commits after the records were delivered", () -> task.preCommits >= 3 && host.delivered() == 3);
        assertThat(host.acknowledged()).isZero();
        assertThat(host.frontier()).isZero();

        task.answer = current -> current;
        Await.until(DEADLINE, "the frontier to pass every record", () -> host.frontier() == Long.MAX_VALUE);
    }

    @Test
    void aRewindDeliversAgainFromTheOffsetTheTaskNamedOnThePartitionItWasGiven() throws Exception {
        ScriptedTask task = new ScriptedTask();
        task.onFirstPut = () -> task.context().offset(CONSUMED, 1);
        start(task, null).enqueue(entries(0, 1, 2));

        Await.until(DEADLINE, "the records from offset 1 delivered again", () -> task.puts().size() >= 2);
        assertThat(task.puts().get(1)).extracting(SinkRecord::originalKafkaOffset).containsExactly(1L, 2L);
        assertThat(task.puts().get(1)).extracting(SinkRecord::topic).containsOnly("orders");
    }

    @Test
    void preCommitComesOnlyOnceTheDeadLetterQueueTookWhatTheTaskReported() throws Exception {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        List<Boolean> takenAtPreCommit = new ArrayList<>();
        ScriptedTask task = new ScriptedTask();
        task.onFirstPut = () -> task.context().errantRecordReporter().report(task.puts.get(0).get(0), new DataException("bad"));
        Map<TopicPartition, OffsetAndMetadata> none = new HashMap<>();
        task.answer = current -> {
            synchronized (takenAtPreCommit) {
                takenAtPreCommit.add(taken.isDone());
            }
            return none;
        };
        ErrantRecordReporter reporter = (record, error) -> {
            Future<Void> future = taken;
            return future;
        };
        SinkHost host = start(task, reporter);
        host.enqueue(entries(0));
        Await.until(DEADLINE, "the record delivered", () -> host.delivered() == 1);
        taken.complete(null);
        Await.until(DEADLINE, "a commit", () -> task.preCommits >= 1);
        synchronized (takenAtPreCommit) {
            assertThat(takenAtPreCommit).containsOnly(true);
        }
        assertThat(host.deadLettered()).isEqualTo(1);
    }
}
