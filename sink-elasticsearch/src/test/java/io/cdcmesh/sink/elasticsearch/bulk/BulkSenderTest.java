package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.common.Backoff;
import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The bulk send loop against a transport that answers as each test scripts it. */
class BulkSenderTest {
    private final AckTracker tracker = new AckTracker();
    private final BulkMetrics metrics = new BulkMetrics("test");
    private final List<String> malformed = new ArrayList<>();
    private final List<List<String>> requests = new ArrayList<>();
    private final Deque<Object> answers = new ArrayDeque<>();
    private final List<Long> sleeps = new ArrayList<>();
    private long offset;

    private BulkSender sender(int maxRetries) {
        ItemOutcomes outcomes = new ItemOutcomes(tracker, (action, reason) -> malformed.add(action.id() + ": " + reason), metrics);
        BulkSender.Transport transport = actions -> {
            requests.add(actions.stream().map(ChangeAction::id).toList());
            Object answer = answers.poll();
            if (answer instanceof IOException e) {
                throw e;
            }
            if (answer instanceof RuntimeException e) {
                throw e;
            }
            return (BulkBody.Results) answer;
        };
        return new BulkSender(transport, items -> items, null, outcomes, metrics, maxRetries, new Backoff(100, 100), sleeps::add);
    }

    private BulkItem item(ChangeAction.Kind kind) {
        return item(kind, offset + 1);
    }

    private BulkItem item(ChangeAction.Kind kind, long version) {
        SinkRecord record = new SinkRecord("t", 0, null, null, null, "v", offset++);
        ChangeAction action = new ChangeAction(record, kind, "db.t", "id" + offset, version, null,
                kind == ChangeAction.Kind.DELETE ? null : Map.of(), 100, 0, "db.t");
        return new BulkItem(action, tracker.track(record));
    }

    private static BulkBody.Results each(int[] statuses, String... errors) {
        return new BulkBody.Results(statuses, errors);
    }

    private static final BulkBody.Results ALL_WRITTEN = new BulkBody.Results(null, null);

    @Test
    void only429And5xxItemsAreRetriedAndAStale409IsDone() throws Exception {
        List<BulkItem> items = List.of(item(ChangeAction.Kind.INDEX), item(ChangeAction.Kind.INDEX), item(ChangeAction.Kind.INDEX),
                item(ChangeAction.Kind.INDEX));
        answers.add(each(new int[] {201, 429, 409, 503}, null, "es_rejected_execution_exception", "version_conflict", "unavailable"));
        answers.add(ALL_WRITTEN);

        sender(-1).send(items);

        assertThat(requests).containsExactly(List.of("id1", "id2", "id3", "id4"), List.of("id2", "id4"));
        assertThat(tracker.outstanding()).isZero();
        assertThat(metrics.indexed()).isEqualTo(3);
        assertThat(metrics.staleSkipped()).isEqualTo(1);
        assertThat(metrics.retries()).isEqualTo(1);
        assertThat(metrics.bulkRequests()).as("each answered request counted, the retry too").isEqualTo(2);
        assertThat(sleeps).hasSize(1);
        assertThat(malformed).isEmpty();
    }

    @Test
    void aConflictWithAVersionFarAboveIsAPositionRegressionAtOnceAndAReplayIsNot() throws Exception {
        long epoch1 = 1L << 56;
        // A replay: the index holds a version a few transactions on.
        answers.add(new BulkBody.Results(new int[] {409}, new String[] {"version_conflict"}, new long[] {epoch1 | 45}));
        sender(-1).send(List.of(item(ChangeAction.Kind.INDEX, epoch1 | 41)));
        assertThat(metrics.positionRegressions()).isZero();
        // After a binlog reset and an epoch bump, a change of the old epoch comes back.
        answers.add(new BulkBody.Results(new int[] {409}, new String[] {"version_conflict"}, new long[] {(2L << 56) | 3}));
        sender(-1).send(List.of(item(ChangeAction.Kind.INDEX, epoch1 | 40)));
        assertThat(metrics.positionRegressions()).isEqualTo(1);
        assertThat(metrics.staleSkipped()).isEqualTo(2);
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void anyOther4xxGoesToTheMalformedHandlerAndADeleteOfAMissingDocumentIsDone() throws Exception {
        List<BulkItem> items = List.of(item(ChangeAction.Kind.INDEX), item(ChangeAction.Kind.DELETE));
        answers.add(each(new int[] {400, 404}, "mapper_parsing_exception: failed to parse field [c]", "not_found"));

        sender(-1).send(items);

        assertThat(malformed).containsExactly("id1: mapper_parsing_exception: failed to parse field [c]");
        assertThat(metrics.malformed()).isEqualTo(1);
        assertThat(metrics.deleted()).isEqualTo(1);
        assertThat(tracker.outstanding()).isZero();
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aConnectionFailureIsRetriedWithBackoff() throws Exception {
        answers.add(new ConnectException("Connection refused"));
        answers.add(new ConnectException("Connection refused"));
        answers.add(ALL_WRITTEN);

        sender(-1).send(List.of(item(ChangeAction.Kind.INDEX)));

        assertThat(requests).hasSize(3);
        assertThat(sleeps).hasSize(2).allSatisfy(ms -> assertThat(ms).isBetween(50L, 100L));
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void retriesStopAtMaxRetriesNamingTheCause() {
        for (int i = 0; i < 5; i++) {
            answers.add(new ConnectException("Connection refused"));
        }
        BulkItem item = item(ChangeAction.Kind.INDEX);
        assertThatThrownBy(() -> sender(2).send(List.of(item)))
                .isInstanceOf(org.apache.kafka.connect.errors.ConnectException.class)
                .hasMessageContaining("after 2 retries").hasMessageContaining("Connection refused");
        assertThat(requests).hasSize(3);
        assertThat(tracker.outstanding()).as("not written: its offset stays uncommitted").isEqualTo(1);
    }

    @Test
    void anUnexpectedFailureStopsAtOnceInsteadOfBeingRetried() {
        answers.add(new IllegalStateException("a defect"));
        assertThatThrownBy(() -> sender(-1).send(List.of(item(ChangeAction.Kind.INDEX))))
                .isInstanceOf(org.apache.kafka.connect.errors.ConnectException.class).hasMessageContaining("Stopping");
        assertThat(requests).hasSize(1);
        assertThat(sleeps).isEmpty();
    }
}
