package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.util.HashSet;
import java.util.Set;

/**
 * What one audit table already holds of one topic partition: the highest source position written, and the uuids
 * written at that position. Within a topic partition positions only grow (Debezium keys each row to one partition
 * and reads the binlog in order), so an event below the mark, or at it with a uuid already written, is already in
 * the table: a redelivery after a crash or rebalance, or Debezium replaying events after its own restart. Snapshot
 * rows share their snapshot's position, hence the uuid set.
 */
public final class Watermark {
    private long position;
    private final Set<String> uuidsAtPosition = new HashSet<>();

    /** Nothing written yet. */
    public Watermark() {
        this(-1, Set.of());
    }

    public Watermark(long position, Set<String> uuidsAtPosition) {
        this.position = position;
        this.uuidsAtPosition.addAll(uuidsAtPosition);
    }

    /** True if the event is not in the table yet. */
    public boolean admits(AuditEvent event) {
        return event.position() > position || event.position() == position && !uuidsAtPosition.contains(event.uuid());
    }

    /** Records that the event is now in the table. */
    public void written(AuditEvent event) {
        if (event.position() > position) {
            position = event.position();
            if (!uuidsAtPosition.isEmpty()) {
                uuidsAtPosition.clear();
            }
        }
        if (event.position() == position) {
            uuidsAtPosition.add(event.uuid());
        }
    }

    public long position() {
        return position;
    }

    @Override
    public String toString() {
        return "position " + position + " (" + uuidsAtPosition.size() + " uuids at it)";
    }
}
