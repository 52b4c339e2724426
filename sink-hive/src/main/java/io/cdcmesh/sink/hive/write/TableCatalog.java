package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import java.util.List;

/** What {@link AuditWriter} asks of the metastore: the audit tables, as they are, created or widened. */
public interface TableCatalog {
    /** The table, created with the event columns and {@code imageColumns} if it does not exist yet. */
    AuditTable open(String database, String table, List<AuditColumn> imageColumns);

    /** The table as the metastore describes it now. */
    AuditTable describe(String database, String table);

    /** Adds columns at the end of the table. */
    void addColumns(AuditTable table, List<AuditColumn> columns);
}
