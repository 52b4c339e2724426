package io.cdcmesh.common.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.common.Backoff;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkTaskContext;
import org.junit.jupiter.api.Test;

class RetryPauseTest {
    private static final Set<TopicPartition> OWNED = Set.of(new TopicPartition("t", 0), new TopicPartition("t", 1));
    private final Set<TopicPartition> paused = new HashSet<>();
    private final AtomicLong timeout = new AtomicLong(-1);

    /** A context that owns two partitions and keeps what was paused and the last timeout asked for. */
    private final SinkTaskContext context = (SinkTaskContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {SinkTaskContext.class}, (proxy, method, args) -> {
                switch (method.getName()) {
                    case "assignment" -> {
                        return OWNED;
                    }
                    case "pause" -> paused.addAll(List.of((TopicPartition[]) args[0]));
                    case "resume" -> paused.removeAll(List.of((TopicPartition[]) args[0]));
                    case "timeout" -> timeout.set((Long) args[0]);
                    default -> { }
                }
                return null;
            });

    @Test
    void aFailurePausesAndAsksToBeCalledAfterTheBackoffThenSuccessResumes() {
        RetryPause retry = new RetryPause(new Backoff(1_000, 1_000), -1, "Hive");
        long delay = retry.failed(context, 10_000, new IOException("connection refused"));
        assertThat(delay).isBetween(500L, 1_000L);
        assertThat(paused).isEqualTo(OWNED);
        assertThat(timeout.get()).isEqualTo(delay);

        assertThat(retry.due(context, 10_000 + delay - 1)).isFalse();
        assertThat(timeout.get()).as("the rest of the backoff").isEqualTo(1);
        assertThat(retry.due(context, 10_000 + delay)).isTrue();

        retry.succeeded(context);
        assertThat(paused).isEmpty();
        assertThat(retry.attempts()).isZero();
    }

    @Test
    void resumeWhenDueResumesWithoutForgettingTheFailures() {
        RetryPause retry = new RetryPause(new Backoff(10, 10), -1, "the target cluster");
        long delay = retry.failed(context, 0, new IOException("down"));
        retry.resumeWhenDue(context, delay - 1);
        assertThat(paused).isEqualTo(OWNED);
        retry.resumeWhenDue(context, delay);
        assertThat(paused).isEmpty();
        assertThat(retry.attempts()).isEqualTo(1);
    }

    @Test
    void theTaskStopsOnceMaxRetriesInARowHaveFailed() {
        RetryPause retry = new RetryPause(new Backoff(1, 1), 2, "Hive");
        retry.failed(context, 0, new IOException("1"));
        retry.failed(context, 0, new IOException("2"));
        assertThatThrownBy(() -> retry.failed(context, 0, new IOException("3"))).isInstanceOf(ConnectException.class)
                .hasMessageContaining("Hive").hasMessageContaining("2 retries");
    }
}
