package io.cdcmesh.common.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

class ErrantRecordsTest {
    private static final SinkRecord RECORD = new SinkRecord("t", 2, null, null, null, "v", 41);

    /** A context whose only answer is the given reporter. */
    private static SinkTaskContext contextWith(ErrantRecordReporter reporter) {
        return (SinkTaskContext) Proxy.newProxyInstance(ErrantRecordsTest.class.getClassLoader(),
                new Class<?>[] {SinkTaskContext.class}, (proxy, method, args) ->
                        method.getName().equals("errantRecordReporter") ? reporter : null);
    }

    @Test
    void reportDoesNotWaitButAwaitReportedDoes() {
        CompletableFuture<Void> taken = new CompletableFuture<>();
        ErrantRecords dlq = new ErrantRecords(contextWith((record, error) -> taken), "set a DLQ");
        dlq.report(RECORD, new DataException("column c: too wide"));
        assertThat(dlq.reported()).isEqualTo(1);

        Thread waiter = new Thread(dlq::awaitReported);
        waiter.start();
        assertThat(waiter.isAlive()).as("awaitReported waits for the DLQ's acknowledgement").isTrue();
        taken.complete(null);
        org.assertj.core.api.Assertions.assertThatCode(() -> waiter.join(10_000)).doesNotThrowAnyException();
        assertThat(waiter.isAlive()).isFalse();
    }

    @Test
    void aRefusalByTheDeadLetterQueueStopsTheTask() {
        ErrantRecords dlq = new ErrantRecords(contextWith((record, error) ->
                CompletableFuture.failedFuture(new IllegalStateException("DLQ topic is gone"))), "set a DLQ");
        dlq.report(RECORD, new DataException("bad"));
        assertThatThrownBy(dlq::awaitReported).isInstanceOf(ConnectException.class).hasMessageContaining("DLQ topic is gone");
    }

    @Test
    void withoutADeadLetterQueueTheTaskStopsNamingTheRecordAndTheFix() {
        ErrantRecords dlq = new ErrantRecords(contextWith(null), "set errors.deadletterqueue.topic.name");
        assertThat(dlq.available()).isFalse();
        assertThatThrownBy(() -> dlq.report(RECORD, new DataException("column c: too wide")))
                .isInstanceOf(ConnectException.class)
                .hasMessageContaining("t-2@41").hasMessageContaining("column c: too wide")
                .hasMessageContaining("set errors.deadletterqueue.topic.name");
    }
}
