package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/** How audit rows reach a table partition (write.mode), and how a task learns what a table already holds. */
public interface RowStore {
    /**
     * Writes rows of one topic partition (in offset order) into one table partition, all or none, and registers
     * the partition first if needed.
     */
    void write(AuditTable table, List<AuditColumn> columns, String partitionValue, TopicPartition tp, List<AuditEvent> rows);

    /** What {@code table} already holds of one topic partition. */
    Watermark recover(AuditTable table, TopicPartition tp);
}
