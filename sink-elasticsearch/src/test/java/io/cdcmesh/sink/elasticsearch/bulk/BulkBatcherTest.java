package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class BulkBatcherTest {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final List<List<BulkItem>> ready = new ArrayList<>();
    private final AckTracker tracker = new AckTracker();
    private long offset;

    private BulkItem item(long bytes) {
        SinkRecord record = new SinkRecord("t", 0, null, null, null, "v", offset++);
        ChangeAction action = new ChangeAction(record, ChangeAction.Kind.INDEX, "db.t", Long.toString(offset), offset, null,
                Map.of(), bytes, 0, "db.t");
        return new BulkItem(action, tracker.track(record));
    }

    @Test
    void aBatchIsReadyAtBatchSizeItems() {
        BulkBatcher batcher = new BulkBatcher(3, 1_000_000, 50, nanos::get);
        for (int i = 0; i < 7; i++) {
            batcher.add(item(100), ready::add);
        }
        assertThat(ready).extracting(List::size).containsExactly(3, 3);
        assertThat(batcher.take()).hasSize(1);
        assertThat(batcher.take()).isEmpty();
    }

    @Test
    void aBatchIsSentBeforeAnItemWouldTakeItPastBulkSizeBytes() {
        BulkBatcher batcher = new BulkBatcher(100, 1_000, 50, nanos::get);
        batcher.add(item(400), ready::add);
        batcher.add(item(400), ready::add);
        assertThat(ready).isEmpty();
        batcher.add(item(400), ready::add);
        assertThat(ready).extracting(List::size).containsExactly(2);
        // An item larger than the limit alone still goes, alone.
        batcher.add(item(5_000), ready::add);
        assertThat(ready).extracting(List::size).containsExactly(2, 1, 1);
    }

    @Test
    void aBatchIsDueOnceItHasWaitedLinger() {
        BulkBatcher batcher = new BulkBatcher(100, 1_000_000, 50, nanos::get);
        assertThat(batcher.msUntilDue()).as("no batch").isEqualTo(-1);
        batcher.add(item(10), ready::add);
        assertThat(batcher.msUntilDue()).isEqualTo(50);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(30));
        batcher.add(item(10), ready::add);
        assertThat(batcher.msUntilDue()).as("linger counts from the batch's first item").isEqualTo(20);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(25));
        assertThat(batcher.msUntilDue()).isZero();
        assertThat(batcher.take()).hasSize(2);
        assertThat(ready).isEmpty();
    }
}
