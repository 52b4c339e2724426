package io.cdcmesh.sink.hive.write;

import io.cdcmesh.common.event.EntityName;
import io.cdcmesh.common.sink.StaleRuns;
import io.cdcmesh.sink.hive.HiveAuditSinkConfig;
import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.HiveNames;
import io.cdcmesh.sink.hive.schema.ImagePlan;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes the audit rows of one topic partition's flush: resolves each event's table (creating it, adding columns
 * it lacks), drops the events the table already holds ({@link Watermark}), and writes one file per table
 * partition, registering the partition before the file appears in it.
 */
public final class AuditWriter {
    /** An event the writer refused, with the reason, for the dead-letter queue. */
    public record Refused(AuditEvent event, DataException reason) {}

    private final HiveAuditSinkConfig config;
    private final TableCatalog catalog;
    private final RowStore store;
    private final DateTimeFormatter partitionFormat;
    private final Map<String, AuditTable> tables = new HashMap<>();
    private final Map<String, Watermark> marks = new HashMap<>();
    private final Map<String, Object> tableNames = new HashMap<>();
    private long lastSecond = Long.MIN_VALUE;
    private String lastPartition;
    private volatile long rowsWritten;
    private volatile long duplicatesSkipped;
    private final StaleRuns staleRuns;

    public AuditWriter(HiveAuditSinkConfig config, TableCatalog catalog, RowStore store) {
        this(config, catalog, store, new StaleRuns(System::currentTimeMillis, "hive-audit-sink", "the audit tables"));
    }

    /** @param staleRuns told of every event skipped as already held and every row written */
    public AuditWriter(HiveAuditSinkConfig config, TableCatalog catalog, RowStore store, StaleRuns staleRuns) {
        this.staleRuns = staleRuns;
        this.config = config;
        this.catalog = catalog;
        this.store = store;
        this.partitionFormat = config.partitionFormat();
    }

    /**
     * Writes {@code events} (one topic partition's, in offset order); returns those refused. A failure to reach
     * Hive or the file system throws {@link HiveUnavailableException}; calling again with the same events then
     * writes only what is still missing.
     */
    public List<Refused> write(TopicPartition tp, List<AuditEvent> events) {
        List<Refused> refused = new ArrayList<>();
        Map<String, List<AuditEvent>> byTable = new LinkedHashMap<>();
        for (AuditEvent event : events) {
            try {
                byTable.computeIfAbsent(tableName(event), k -> new ArrayList<>()).add(event);
            } catch (DataException e) {
                refused.add(new Refused(event, e));
            }
        }
        for (Map.Entry<String, List<AuditEvent>> entry : byTable.entrySet()) {
            try {
                writeTable(tp, entry.getKey(), entry.getValue(), refused);
            } catch (DataException e) {
                entry.getValue().forEach(event -> refused.add(new Refused(event, e)));
            }
        }
        return refused;
    }

    /** Forgets what it learnt of a topic partition, which another task may now write. */
    public void forget(TopicPartition tp) {
        marks.keySet().removeIf(key -> key.endsWith("/" + tp));
    }

    public long rowsWritten() {
        return rowsWritten;
    }

    public long duplicatesSkipped() {
        return duplicatesSkipped;
    }

    /** Sustained runs of nothing but skipped events: the source's positions went back ({@link StaleRuns}). */
    public long positionRegressions() {
        return staleRuns.regressions();
    }

    private void writeTable(TopicPartition tp, String name, List<AuditEvent> events, List<Refused> refused) {
        AuditTable table = tables.get(name);
        if (table == null) {
            table = catalog.open(config.database(), name, events.get(0).imageColumns());
            tables.put(name, table);
        }
        try {
            writeTable(tp, name, table, events, refused);
        } catch (RuntimeException e) {
            // Learn the table afresh on the next attempt: another task may have changed it.
            tables.remove(name);
            throw e;
        }
    }

    private void writeTable(TopicPartition tp, String name, AuditTable table, List<AuditEvent> events, List<Refused> refused) {
        Fit fit = fit(table, events);
        if (!fit.missing().isEmpty()) {
            // Another task writing this table may have added the columns since it was described: look again.
            table = catalog.describe(config.database(), name);
            tables.put(name, table);
            fit = fit(table, events);
            if (!fit.missing().isEmpty()) {
                catalog.addColumns(table, fit.missing());
            }
        }
        for (Map.Entry<AuditEvent, DataException> mismatch : fit.mismatches().entrySet()) {
            refused.add(new Refused(mismatch.getKey(), new DataException(mismatch.getValue().getMessage() + " (record at "
                    + AuditEvent.where(mismatch.getKey().record()) + ")")));
        }
        List<AuditEvent> fitting = fit.fitting();
        String key = name + "/" + tp;
        Watermark mark = marks.get(key);
        if (mark == null) {
            mark = store.recover(table, tp);
            marks.put(key, mark);
        }
        // Decide event by event, so that a redelivered event in the same batch as its first delivery is dropped
        // too. The mark moves in place (no copy per flush: it may hold a whole snapshot's uuids); if any file
        // fails, it is dropped and learnt again from the table.
        List<Run> runs = new ArrayList<>();
        for (AuditEvent event : fitting) {
            if (mark.admits(event)) {
                mark.written(event);
                String partition = partitionValue(event.ts());
                Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last == null || !last.partition().equals(partition)) {
                    last = new Run(partition, new ArrayList<>());
                    runs.add(last);
                }
                last.events().add(event);
            } else {
                duplicatesSkipped++;
                staleRuns.stale(event.position(), mark.position());
            }
        }
        List<AuditColumn> columns = table.columns();
        try {
            // One file per run of consecutive events in one table partition, in offset order: a flush that fails
            // halfway leaves a prefix of its events in the table, which is what recovery assumes.
            for (Run run : runs) {
                writePartition(tp, table, columns, run.partition(), run.events());
            }
        } catch (RuntimeException e) {
            // Some files may be in place: learn what from the table itself on the next attempt.
            marks.remove(key);
            throw e;
        }
    }

    /** Consecutive events (in offset order) that go to one table partition. */
    private record Run(String partition, List<AuditEvent> events) {}

    private void writePartition(TopicPartition tp, AuditTable table, List<AuditColumn> columns, String value, List<AuditEvent> rows) {
        store.write(table, columns, value, tp, rows);
        rowsWritten += rows.size();
        staleRuns.written();
    }

    /** How a batch's events fit a table: those that do, the columns to add for them, and those that can't. */
    private record Fit(List<AuditEvent> fitting, List<AuditColumn> missing, Map<AuditEvent, DataException> mismatches) {}

    private static Fit fit(AuditTable table, List<AuditEvent> events) {
        List<AuditColumn> missing = new ArrayList<>();
        List<AuditEvent> fitting = new ArrayList<>(events.size());
        Map<AuditEvent, DataException> mismatches = new LinkedHashMap<>();
        Map<ImagePlan, DataException> checked = new IdentityHashMap<>();
        for (AuditEvent event : events) {
            // Events of one schema share a plan: its columns are checked against the table once.
            ImagePlan plan = event.plan();
            if (!checked.containsKey(plan)) {
                checked.put(plan, check(table, plan, missing));
            }
            DataException mismatch = checked.get(plan);
            if (mismatch == null) {
                fitting.add(event);
            } else {
                mismatches.put(event, mismatch);
            }
        }
        return new Fit(fitting, missing, mismatches);
    }

    /** Null if the plan's columns fit the table (adding those it lacks to {@code missing}), else why they don't. */
    private static DataException check(AuditTable table, ImagePlan plan, List<AuditColumn> missing) {
        for (AuditColumn column : plan.columns()) {
            AuditColumn existing = table.column(column.name());
            AuditColumn known = existing != null ? existing
                    : missing.stream().filter(c -> c.name().equals(column.name())).findFirst().orElse(null);
            if (known == null) {
                missing.add(column);
            } else if (!known.type().equalsIgnoreCase(column.type())) {
                return new DataException("Column " + column.name() + " of audit table " + table + " is " + known.type()
                        + " but the record has " + column.type() + "; Hive can't hold both without losing values");
            }
        }
        return null;
    }

    /** The partition value of a commit time; consecutive events mostly share their second, so the last is kept. */
    private String partitionValue(long ts) {
        long second = Math.floorDiv(ts, 1000L);
        if (second != lastSecond) {
            lastSecond = second;
            lastPartition = partitionFormat.format(Instant.ofEpochSecond(second));
        }
        return lastPartition;
    }

    /** The table an event goes to, from table.name.pattern (worked out once per topic and entity). */
    private String tableName(AuditEvent event) {
        String key = event.record().topic() + '\u0000' + event.entity();
        Object name = tableNames.get(key);
        if (name == null) {
            try {
                name = resolveTableName(event);
            } catch (DataException e) {
                name = e;
            }
            if (tableNames.size() > 10_000) {
                tableNames.clear();
            }
            tableNames.put(key, name);
        }
        if (name instanceof DataException e) {
            throw e;
        }
        return (String) name;
    }

    /** The table an event goes to, from table.name.pattern; refused if it is not a valid Hive name. */
    private String resolveTableName(AuditEvent event) {
        String entity = event.entity();
        EntityName parts = event.entityName();
        String name = config.getString(HiveAuditSinkConfig.TABLE_NAME_PATTERN)
                .replace("${db}", parts.db()).replace("${table}", parts.table())
                .replace("${topic}", event.record().topic().replaceAll("[^A-Za-z0-9_]", "_"));
        return HiveNames.table(name, "The audit table name for entity '" + entity + "'");
    }
}
