package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class WatermarkTest {
    private static final Schema ROW = SchemaBuilder.struct().optional().field("id", Schema.INT32_SCHEMA).build();
    private static final Schema EVENT = SchemaBuilder.struct().field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA)
            .field("ts", Schema.INT64_SCHEMA).field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("position", Schema.INT64_SCHEMA).field("ordinal", Schema.OPTIONAL_INT64_SCHEMA)
            .field("before", ROW).field("after", ROW).build();
    private static final long SNAPSHOT = 1_763_000_000_000L;

    @Test
    void eventsOfOlderReleasesBelowTheMarkOrAtItWithAKnownUuidAreAlreadyWritten() {
        Watermark mark = new Watermark(100, ChangeEventView.NO_ORDINAL, 7, Set.of("snap-1", "snap-2"));
        assertThat(mark.admits(event("old", "READ", 99, null, 1))).isFalse();
        assertThat(mark.admits(event("snap-1", "READ", 100, null, 8))).isFalse();
        assertThat(mark.admits(event("snap-3", "READ", 100, null, 9))).isTrue();
        assertThat(mark.admits(event("new", "UPDATE", 101, null, 10))).isTrue();
    }

    @Test
    void changesOfOneTransactionAreToldApartByOrdinalSoAReplayFromItsMiddleIsDropped() {
        Watermark mark = new Watermark();
        for (int i = 1; i <= 5; i++) {
            AuditEvent change = event("c" + i, "UPDATE", 200, (long) i << 32, i);
            assertThat(mark.admits(change)).as("change %d", i).isTrue();
            mark.written(change);
        }
        // Debezium, restarted inside the transaction, sends changes 3 to 5 again at new offsets; then change 6.
        for (int i = 3; i <= 5; i++) {
            assertThat(mark.admits(event("c" + i, "UPDATE", 200, (long) i << 32, 10 + i))).as("replay of %d", i).isFalse();
        }
        assertThat(mark.admits(event("c6", "UPDATE", 200, 6L << 32, 16))).isTrue();
        assertThat(mark.uuidsHeld()).as("uuids held for ordinal events").isZero();
    }

    @Test
    void aKeyChangesDeleteAndCreateAtOnePlaceAreBothWrittenInThatOrder() {
        Watermark mark = new Watermark();
        AuditEvent delete = event("d", "DELETE", 300, 4L << 32 | 2 << 1, 1);
        AuditEvent create = event("c", "CREATE", 300, 4L << 32 | 2 << 1 | 1, 2);
        mark.written(delete);
        assertThat(mark.admits(create)).isTrue();
        mark.written(create);
        assertThat(mark.admits(event("d", "DELETE", 300, 4L << 32 | 2 << 1, 3))).as("the DELETE replayed").isFalse();
    }

    @Test
    void rowsOfOneSnapshotShareTheMarkAndTheOffsetTellsTheNextRowFromARedeliveredOne() {
        Watermark mark = new Watermark();
        for (int row = 0; row < 100_000; row++) {
            AuditEvent read = event("r" + row, "READ", 400, SNAPSHOT, row);
            assertThat(read.offset()).isEqualTo(row);
            if (!mark.admits(read)) {
                throw new AssertionError("snapshot row " + row + " refused");
            }
            mark.written(read);
        }
        assertThat(mark.uuidsHeld()).as("memory does not grow with the snapshot").isZero();
        assertThat(mark.admits(event("r99999", "READ", 400, SNAPSHOT, 99_999))).as("a redelivered row").isFalse();
        assertThat(mark.admits(event("r5", "READ", 400, SNAPSHOT, 5))).as("an earlier redelivered row").isFalse();
        assertThat(mark.admits(event("again", "READ", 400, SNAPSHOT + 1_000, 100_000))).as("a snapshot taken again").isTrue();
        assertThat(mark.admits(event("u", "UPDATE", 401, 2L << 32, 100_001))).isTrue();
    }

    @Test
    void afterAnUpgradeTheEventsOfTheOldReleaseAndTheNewAtOnePositionAreEachWrittenOnce() {
        // Recovered from files of the old release: uuids at the highest position, no ordinal.
        Watermark mark = new Watermark(500, ChangeEventView.NO_ORDINAL, 20, Set.of("old-1", "old-2"));
        assertThat(mark.admits(event("old-2", "UPDATE", 500, null, 21))).isFalse();
        AuditEvent first = event("new-3", "UPDATE", 500, 3L << 32, 22);
        assertThat(mark.admits(first)).isTrue();
        mark.written(first);
        assertThat(mark.admits(event("old-1", "UPDATE", 500, null, 23))).as("an old event replayed").isFalse();
        assertThat(mark.admits(event("new-3", "UPDATE", 500, 3L << 32, 24))).as("a new event replayed").isFalse();
        assertThat(mark.admits(event("new-4", "UPDATE", 500, 4L << 32, 25))).isTrue();
    }

    @Test
    void writingAboveTheMarkMovesItAndForgetsWhatWasBelow() {
        Watermark mark = new Watermark();
        mark.written(event("a", "UPDATE", 5, null, 1));
        mark.written(event("b", "UPDATE", 5, null, 2));
        assertThat(mark.admits(event("b", "UPDATE", 5, null, 3))).isFalse();
        mark.written(event("c", "UPDATE", 7, 1L << 32, 4));
        assertThat(mark.admits(event("a", "UPDATE", 5, null, 5))).isFalse();
        assertThat(mark.admits(event("c", "UPDATE", 7, 1L << 32, 6))).isFalse();
        assertThat(mark.position()).isEqualTo(7);
        assertThat(mark.ordinal()).isEqualTo(1L << 32);
        assertThat(mark.uuidsHeld()).isZero();
    }

    private static AuditEvent event(String uuid, String type, long position, Long ordinal, long offset) {
        Struct value = new Struct(EVENT).put("uuid", uuid).put("type", type).put("ts", 0L).put("entity", "db.t")
                .put("id", "1").put("position", position).put("ordinal", ordinal)
                .put("before", type.equals("CREATE") || type.equals("READ") ? null : new Struct(ROW).put("id", 1))
                .put("after", type.equals("DELETE") ? null : new Struct(ROW).put("id", 1));
        return AuditEvent.of(new SinkRecord("t", 0, null, null, EVENT, value, offset));
    }
}
