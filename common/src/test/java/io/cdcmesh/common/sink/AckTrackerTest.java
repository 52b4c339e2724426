package io.cdcmesh.common.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class AckTrackerTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);

    private static SinkRecord record(int partition, long offset) {
        return new SinkRecord("t", partition, null, null, null, "v", offset);
    }

    /** What the worker says it delivered: the offset after the last record, dropped-by-transform ones included. */
    private static Map<TopicPartition, OffsetAndMetadata> delivered(long p0, long p1) {
        return Map.of(P0, new OffsetAndMetadata(p0), P1, new OffsetAndMetadata(p1));
    }

    /** What a topic-renaming transform (RegexRouter) makes of a record: new topic, same original coordinates. */
    private static SinkRecord renamed(SinkRecord record) {
        return record.newRecord("renamed", 7, null, null, null, record.value(), record.timestamp());
    }

    @Test
    void offsetAdvancesOnlyOverAContiguousDonePrefix() {
        AckTracker tracker = new AckTracker();
        List<AckTracker.Entry> entries = List.of(tracker.track(record(0, 5)), tracker.track(record(0, 6)), tracker.track(record(0, 7)));
        assertThat(tracker.committable(delivered(8, 0))).containsEntry(P0, new OffsetAndMetadata(5));
        tracker.done(entries.get(1));
        tracker.done(entries.get(2));
        assertThat(tracker.committable(delivered(8, 0))).as("offset 5 is not done").containsEntry(P0, new OffsetAndMetadata(5));
        tracker.done(entries.get(0));
        assertThat(tracker.committable(delivered(8, 0))).containsEntry(P0, new OffsetAndMetadata(8));
        assertThat(tracker.outstanding()).isZero();
    }

    @Test
    void recordsTheTransformsDroppedDoNotHoldTheOffsetBack() {
        AckTracker tracker = new AckTracker();
        tracker.done(tracker.track(record(0, 3)));
        // Offsets 4..9 were dropped by a filter before the task saw them; partition 1 only had dropped records.
        assertThat(tracker.committable(delivered(10, 25))).containsOnly(Map.entry(P0, new OffsetAndMetadata(10)),
                Map.entry(P1, new OffsetAndMetadata(25)));
    }

    @Test
    void partitionsAreIndependent() {
        AckTracker tracker = new AckTracker();
        AckTracker.Entry a = tracker.track(record(0, 1));
        tracker.track(record(1, 40));
        tracker.done(a);
        assertThat(tracker.committable(delivered(2, 41))).containsOnly(Map.entry(P0, new OffsetAndMetadata(2)),
                Map.entry(P1, new OffsetAndMetadata(40)));
        assertThat(tracker.outstanding()).isEqualTo(1);
    }

    @Test
    void onlyPartitionsTheWorkerAsksAboutAreReturned() {
        AckTracker tracker = new AckTracker();
        tracker.done(tracker.track(record(1, 3)));
        assertThat(tracker.committable(Map.of(P0, new OffsetAndMetadata(1)))).containsOnlyKeys(P0);
    }

    @Test
    void renamedRecordsAreTrackedByTheTopicPartitionTheWorkerConsumed() {
        AckTracker tracker = new AckTracker();
        AckTracker.Entry entry = tracker.track(renamed(record(1, 9)));
        assertThat(entry.partition()).isEqualTo(P1);
        assertThat(tracker.committable(delivered(0, 10))).containsEntry(P1, new OffsetAndMetadata(9));
        tracker.done(entry);
        assertThat(tracker.committable(delivered(0, 10))).containsEntry(P1, new OffsetAndMetadata(10));
    }

    @Test
    void forgottenPartitionsHoldNothing() {
        AckTracker tracker = new AckTracker();
        AckTracker.Entry late = tracker.track(record(0, 1));
        tracker.track(record(0, 2));
        tracker.forget(List.of(P0));
        assertThat(tracker.outstanding()).isZero();
        tracker.done(late);
        assertThat(tracker.outstanding()).as("a late acknowledgement of a forgotten record changes nothing").isZero();
    }

    @Test
    void afterARewindNothingIsCommittedPastItUntilTheRecordsComeAgainAndAreDone() {
        AckTracker tracker = new AckTracker();
        AckTracker.Entry first = tracker.track(record(0, 10));
        AckTracker.Entry second = tracker.track(record(0, 11));
        AckTracker.Entry third = tracker.track(record(0, 12));
        tracker.done(tracker.track(record(1, 3)));
        tracker.done(first);
        tracker.done(third);

        assertThat(tracker.rewind()).containsExactly(Map.entry(P0, 11L));
        assertThat(tracker.outstanding()).isZero();
        tracker.done(second);
        assertThat(tracker.outstanding()).as("a late acknowledgement from before the rewind changes nothing").isZero();
        // The worker still says 13 were delivered: it applies the rewind only before its next poll.
        assertThat(tracker.committable(delivered(13, 4))).containsOnly(Map.entry(P0, new OffsetAndMetadata(11)),
                Map.entry(P1, new OffsetAndMetadata(4)));

        AckTracker.Entry again = tracker.track(record(0, 11));
        assertThat(tracker.committable(delivered(12, 4))).containsEntry(P0, new OffsetAndMetadata(11));
        tracker.done(again);
        assertThat(tracker.committable(delivered(12, 4))).containsEntry(P0, new OffsetAndMetadata(12));
    }
}
