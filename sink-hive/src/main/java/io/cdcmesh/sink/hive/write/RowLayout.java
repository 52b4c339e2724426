package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.ImagePlan;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/** A table's columns, and where each event's values for them are: worked out once per image plan, not per row. */
final class RowLayout {
    private static final int EVENT_COLUMNS = AuditEvent.EVENT_COLUMNS.size();

    private final List<AuditColumn> columns;
    private final Map<ImagePlan, int[]> slots = new IdentityHashMap<>();

    RowLayout(List<AuditColumn> columns) {
        this.columns = columns;
        for (int i = 0; i < EVENT_COLUMNS; i++) {
            if (!columns.get(i).name().equals(AuditEvent.EVENT_COLUMNS.get(i).name())) {
                throw new IllegalStateException("Audit table column " + i + " is " + columns.get(i).name() + ", not "
                        + AuditEvent.EVENT_COLUMNS.get(i).name() + ": not an audit table this sink made");
            }
        }
    }

    int size() {
        return columns.size();
    }

    AuditColumn column(int i) {
        return columns.get(i);
    }

    /** The value of column {@code i} for {@code event}, in Hive's text form, or null. */
    String value(AuditEvent event, int i) {
        if (i < EVENT_COLUMNS) {
            return event.eventValue(i);
        }
        int[] eventSlots = slots.computeIfAbsent(event.plan(), plan -> {
            int[] s = new int[columns.size()];
            for (int c = EVENT_COLUMNS; c < columns.size(); c++) {
                s[c] = plan.slot(columns.get(c).name());
            }
            return s;
        });
        int slot = eventSlots[i];
        return slot < 0 ? null : event.imageValue(slot);
    }
}
