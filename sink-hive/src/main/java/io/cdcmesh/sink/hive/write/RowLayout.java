package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.ImagePlan;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A table's columns, and where each event's values for them are ({@link AuditEvent#raw}): worked out once per image
 * plan, not per row.
 */
final class RowLayout {
    private static final int EVENT_COLUMNS = AuditEvent.EVENT_COLUMNS.size();

    private final List<AuditColumn> columns;
    private final Map<ImagePlan, int[]> indexes = new IdentityHashMap<>();

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

    /**
     * For each table column, the index of the event's value for it ({@link AuditEvent#raw}, {@link AuditEvent#kind}),
     * or -1 where the event has none (a column its schema lacks: NULL).
     */
    int[] indexes(AuditEvent event) {
        return indexes.computeIfAbsent(event.plan(), plan -> {
            int[] at = new int[columns.size()];
            for (int c = 0; c < columns.size(); c++) {
                at[c] = event.index(c, c < EVENT_COLUMNS ? null : columns.get(c).name());
            }
            return at;
        });
    }

    /** The value of column {@code i} for {@code event}, in Hive's text form, or null. */
    String text(AuditEvent event, int i) {
        int index = indexes(event)[i];
        return index < 0 ? null : event.text(index);
    }
}
