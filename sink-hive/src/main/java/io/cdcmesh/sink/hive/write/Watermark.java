package io.cdcmesh.sink.hive.write;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.util.HashSet;
import java.util.Set;

/**
 * What one audit table already holds of one topic partition: the highest (position, ordinal) written and the Kafka
 * offset it was written from. Within a topic partition events come in that order (Debezium keys each row to one
 * partition and reads the binlog in order; the ordinal orders the changes of one transaction), so an event at or below
 * the mark is already in the table: a redelivery after a crash or rebalance, or Debezium replaying events after its own
 * restart. The rows of one snapshot share position and ordinal: among them, the offset tells the next row from a
 * redelivered one. Constant memory, whatever the size of a transaction or a snapshot.
 *
 * <p>Events of older releases carry no ordinal; at the mark's position those are told apart by uuid, as before, and
 * only their uuids are kept. The JDBC store recovers a mark that way too (its rows hold no ordinal).
 */
public final class Watermark {
    private long position;
    private long ordinal;
    private long offset;
    private final Set<String> uuidsWithoutOrdinal = new HashSet<>();

    /** Nothing written yet. */
    public Watermark() {
        this(-1, ChangeEventView.NO_ORDINAL, -1, Set.of());
    }

    /**
     * @param ordinal the highest ordinal written at {@code position}, or {@link ChangeEventView#NO_ORDINAL}
     * @param offset the Kafka offset of the event at ({@code position}, {@code ordinal})
     * @param uuidsWithoutOrdinal uuids written at {@code position} by events without an ordinal
     */
    public Watermark(long position, long ordinal, long offset, Set<String> uuidsWithoutOrdinal) {
        this.position = position;
        this.ordinal = ordinal;
        this.offset = offset;
        this.uuidsWithoutOrdinal.addAll(uuidsWithoutOrdinal);
    }

    /** True if the event is not in the table yet. */
    public boolean admits(AuditEvent event) {
        if (event.position() != position) {
            return event.position() > position;
        }
        if (event.ordinal() != ChangeEventView.NO_ORDINAL && ordinal != ChangeEventView.NO_ORDINAL) {
            if (event.ordinal() != ordinal) {
                return event.ordinal() > ordinal;
            }
            return event.isRead() && event.offset() > offset;
        }
        return !uuidsWithoutOrdinal.contains(event.uuid());
    }

    /** Records that the event, which {@link #admits} took, is now in the table. */
    public void written(AuditEvent event) {
        if (event.position() > position) {
            position = event.position();
            ordinal = ChangeEventView.NO_ORDINAL;
            if (!uuidsWithoutOrdinal.isEmpty()) {
                uuidsWithoutOrdinal.clear();
            }
        }
        if (event.ordinal() == ChangeEventView.NO_ORDINAL) {
            uuidsWithoutOrdinal.add(event.uuid());
        } else {
            ordinal = Math.max(ordinal, event.ordinal());
        }
        offset = event.offset();
    }

    public long position() {
        return position;
    }

    public long ordinal() {
        return ordinal;
    }

    /** How many uuids the mark holds: only those of events without an ordinal at its position. */
    public int uuidsHeld() {
        return uuidsWithoutOrdinal.size();
    }

    @Override
    public String toString() {
        return "position " + position + ", ordinal " + ordinal + ", offset " + offset + " (" + uuidsWithoutOrdinal.size()
                + " uuids without an ordinal at it)";
    }
}
