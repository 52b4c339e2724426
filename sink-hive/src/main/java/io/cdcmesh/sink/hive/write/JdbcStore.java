package io.cdcmesh.sink.hive.write;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.HiveNames;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;

/**
 * The portable write path: multi-row {@code INSERT INTO ... PARTITION (...) VALUES} statements over JDBC (never one
 * row per statement), for when the workers can't reach the table's file system. Each statement is atomic in Hive;
 * what a table holds of a topic partition is read back with two queries when a task first writes it.
 */
public final class JdbcStore implements RowStore {
    static final int MAX_ROWS_PER_STATEMENT = 1_000;
    static final int MAX_CHARS_PER_STATEMENT = 2_000_000;

    private final HiveCatalog catalog;
    private final String partitionField;

    public JdbcStore(HiveCatalog catalog, String partitionField) {
        this.catalog = catalog;
        this.partitionField = partitionField;
    }

    @Override
    public void write(AuditTable table, List<AuditColumn> columns, String partitionValue, TopicPartition tp, List<AuditEvent> rows) {
        String head = "INSERT INTO " + table.qualified() + " PARTITION (" + HiveNames.quote(partitionField) + "="
                + HiveLiterals.string(partitionValue) + ") (" + columns.stream().map(c -> HiveNames.quote(c.name()))
                .collect(Collectors.joining(", ")) + ") VALUES ";
        StringBuilder sql = new StringBuilder(head);
        RowLayout layout = new RowLayout(columns);
        int inStatement = 0;
        for (AuditEvent event : rows) {
            StringBuilder row = new StringBuilder("(");
            for (int i = 0; i < columns.size(); i++) {
                if (i > 0) {
                    row.append(", ");
                }
                row.append(HiveLiterals.of(columns.get(i).type(), layout.text(event, i)));
            }
            row.append(')');
            if (inStatement > 0 && (inStatement >= MAX_ROWS_PER_STATEMENT || sql.length() + row.length() > MAX_CHARS_PER_STATEMENT)) {
                catalog.execute(sql.toString());
                sql.setLength(head.length());
                inStatement = 0;
            }
            sql.append(inStatement > 0 ? ", " : "").append(row);
            inStatement++;
        }
        catalog.execute(sql.toString());
        table.registered(partitionValue);
    }

    @Override
    public Watermark recover(AuditTable table, TopicPartition tp) {
        String where = " FROM " + table.qualified() + " WHERE `kafka_topic` = " + HiveLiterals.string(tp.topic())
                + " AND `kafka_partition` = " + tp.partition();
        List<String[]> max = catalog.query("SELECT max(`position`)" + where);
        if (max.isEmpty() || max.get(0)[0] == null) {
            return new Watermark();
        }
        long position = Long.parseLong(max.get(0)[0]);
        Set<String> uuids = new HashSet<>();
        catalog.query("SELECT `uuid`" + where + " AND `position` = " + position).forEach(r -> uuids.add(r[0]));
        // Rows hold no ordinal: the events at the highest position are told apart by uuid until the next position.
        return new Watermark(position, ChangeEventView.NO_ORDINAL, -1, uuids);
    }
}
