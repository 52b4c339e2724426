package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class SameVersionOrderTest {
    private final AckTracker tracker = new AckTracker();
    private long offset;

    private BulkItem item(String id, long version, ChangeAction.Kind kind) {
        SinkRecord record = new SinkRecord("t", 0, null, null, null, null, offset++);
        ChangeAction action = new ChangeAction(record, kind, "db.t", id, version, null,
                kind == ChangeAction.Kind.DELETE ? null : Map.of(), 100, 0, "db.t");
        return new BulkItem(action, tracker.track(record));
    }

    @Test
    void withinABatchOnlyTheLastChangeOfADocumentInOneTransactionIsSent() {
        BulkItem insert = item("1", 7, ChangeAction.Kind.INDEX);
        BulkItem other = item("2", 7, ChangeAction.Kind.INDEX);
        BulkItem update = item("1", 7, ChangeAction.Kind.INDEX);
        BulkItem delete = item("1", 7, ChangeAction.Kind.DELETE);
        BulkItem nextTransaction = item("2", 8, ChangeAction.Kind.INDEX);
        List<BulkItem> superseded = new ArrayList<>();

        List<BulkItem> sent = SameVersionOrder.collapse(List.of(insert, other, update, delete, nextTransaction), superseded::add);

        assertThat(sent).containsExactly(other, delete, nextTransaction);
        assertThat(superseded).containsExactly(insert, update);
    }

    @Test
    void aBatchWithNoSharedVersionIsLeftAsItIs() {
        List<BulkItem> batch = List.of(item("1", 7, ChangeAction.Kind.INDEX), item("1", 8, ChangeAction.Kind.INDEX));
        assertThat(SameVersionOrder.collapse(batch, x -> { throw new AssertionError("nothing is superseded"); })).isSameAs(batch);
    }

    @Test
    void aLaterBatchWaitsForAnEarlierOneHoldingTheSameDocumentAtTheSameVersionOnly() {
        SameVersionOrder order = new SameVersionOrder();
        CompletableFuture<Void> first = new CompletableFuture<>();
        assertThat(order.register(List.of(item("1", 7, ChangeAction.Kind.INDEX), item("2", 7, ChangeAction.Kind.INDEX)), first))
                .isDone();

        CompletableFuture<Void> otherVersion = new CompletableFuture<>();
        assertThat(order.register(List.of(item("2", 9, ChangeAction.Kind.INDEX)), otherVersion))
                .as("a different version is ordered by Elasticsearch itself").isDone();

        List<BulkItem> third = List.of(item("1", 7, ChangeAction.Kind.DELETE));
        CompletableFuture<Void> thirdDone = new CompletableFuture<>();
        CompletableFuture<Void> waits = order.register(third, thirdDone);
        assertThat(waits).isNotDone();

        first.complete(null);
        assertThat(waits).isDone();
        order.finished(third, thirdDone);
        thirdDone.complete(null);
        assertThat(order.documentsInFlight()).as("document 1 was taken over by the third batch, now finished").isEqualTo(1);
    }
}
