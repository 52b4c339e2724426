package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final Map<TopicPartition, OffsetAndMetadata> CURRENT =
            Map.of(P0, new OffsetAndMetadata(100), P1, new OffsetAndMetadata(100));

    private static SinkRecord record(int partition, long offset) {
        return new SinkRecord("t", partition, null, null, null, "v", offset);
    }

    @Test
    void offsetAdvancesOnlyOverAContiguousDonePrefix() {
        OffsetTracker tracker = new OffsetTracker();
        List<OffsetTracker.Entry> entries = List.of(tracker.track(record(0, 5)), tracker.track(record(0, 6)), tracker.track(record(0, 7)));
        assertThat(tracker.committable(CURRENT)).isEmpty();
        tracker.done(entries.get(1));
        tracker.done(entries.get(2));
        assertThat(tracker.committable(CURRENT)).as("offset 5 is not done: nothing may be committed").isEmpty();
        tracker.done(entries.get(0));
        assertThat(tracker.committable(CURRENT)).containsExactly(Map.entry(P0, new OffsetAndMetadata(8)));
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void partitionsAdvanceIndependently() {
        OffsetTracker tracker = new OffsetTracker();
        OffsetTracker.Entry a = tracker.track(record(0, 1));
        tracker.track(record(1, 40));
        tracker.done(a);
        assertThat(tracker.committable(CURRENT)).containsExactly(Map.entry(P0, new OffsetAndMetadata(2)));
        assertThat(tracker.outstanding()).isEqualTo(1);
    }

    @Test
    void onlyPartitionsInTheCurrentOffsetsAreReturned() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.done(tracker.track(record(1, 3)));
        assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(1)))).isEmpty();
    }

    @Test
    void forgottenPartitionsNoLongerCountAsOutstanding() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.track(record(0, 1));
        tracker.track(record(0, 2));
        tracker.forget(List.of(P0));
        assertThat(tracker.outstanding()).isZero();
        assertThat(tracker.committable(CURRENT)).isEmpty();
    }
}
