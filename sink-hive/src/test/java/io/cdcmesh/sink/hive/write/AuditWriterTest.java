package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.common.sink.StaleRuns;
import io.cdcmesh.sink.hive.HiveAuditSinkConfig;
import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

/** The audit writer's decisions (tables, columns, duplicates, recovery) against an in-memory catalog and store. */
class AuditWriterTest {
    private static final TopicPartition TP = new TopicPartition("cdc.shop.orders", 0);

    private final Map<String, AuditTable> tables = new HashMap<>();
    private final List<String> added = new ArrayList<>();
    private final List<List<Long>> written = new ArrayList<>();
    private final List<AuditEvent> inTable = new ArrayList<>();
    private final List<String> partitions = new ArrayList<>();
    private int recovered;
    private int writesBeforeFailure = -1;
    private RuntimeException failNextWrite;

    private final TableCatalog catalog = new TableCatalog() {
        @Override
        public AuditTable open(String database, String table, List<AuditColumn> imageColumns) {
            return tables.computeIfAbsent(table, t -> {
                List<AuditColumn> columns = new ArrayList<>(AuditEvent.EVENT_COLUMNS);
                columns.addAll(imageColumns);
                return new AuditTable(database, t, "file:///audit/" + t, columns, DataFormat.of("text"));
            });
        }

        @Override
        public AuditTable describe(String database, String table) {
            return tables.get(table);
        }

        @Override
        public void addColumns(AuditTable table, List<AuditColumn> columns) {
            columns.forEach(c -> added.add(c.name() + " " + c.type()));
            table.added(columns);
        }
    };

    private final RowStore store = new RowStore() {
        @Override
        public void write(AuditTable table, List<AuditColumn> columns, String partitionValue, TopicPartition tp, List<AuditEvent> rows) {
            if (writesBeforeFailure == 0) {
                writesBeforeFailure = -1;
                failNextWrite = new HiveUnavailableException("the file system went away", null);
            } else if (writesBeforeFailure > 0) {
                writesBeforeFailure--;
            }
            if (failNextWrite != null) {
                RuntimeException failure = failNextWrite;
                failNextWrite = null;
                throw failure;
            }
            written.add(rows.stream().map(AuditEvent::offset).toList());
            partitions.add(partitionValue);
            inTable.addAll(rows);
        }

        /** As FileStore does: the highest (position, ordinal) in the table and its offset, and uuids without an ordinal. */
        @Override
        public Watermark recover(AuditTable table, TopicPartition tp) {
            recovered++;
            long max = inTable.stream().mapToLong(AuditEvent::position).max().orElse(-1);
            List<AuditEvent> atMax = inTable.stream().filter(e -> e.position() == max).toList();
            long ordinal = atMax.stream().mapToLong(AuditEvent::ordinal).max().orElse(ChangeEventView.NO_ORDINAL);
            long offset = atMax.stream().filter(e -> e.ordinal() == ordinal).mapToLong(AuditEvent::offset).max().orElse(-1);
            return new Watermark(max, ordinal, offset, atMax.stream().filter(e -> e.ordinal() == ChangeEventView.NO_ORDINAL)
                    .map(AuditEvent::uuid).collect(java.util.stream.Collectors.toSet()));
        }
    };

    private final AuditWriter writer = new AuditWriter(new HiveAuditSinkConfig(Map.of("hive.jdbc.url", "jdbc:hive2://127.0.0.1:1/default",
            "table.location", "file:///audit", "topics", TP.topic())), catalog, store);

    private static final Schema ROW = SchemaBuilder.struct().name("orders.Value").optional()
            .field("id", Schema.INT32_SCHEMA).field("total", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema WIDER = SchemaBuilder.struct().name("orders.Value").optional()
            .field("id", Schema.INT32_SCHEMA).field("total", Schema.OPTIONAL_INT64_SCHEMA).field("note", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema RETYPED = SchemaBuilder.struct().name("orders.Value").optional()
            .field("id", Schema.INT32_SCHEMA).field("total", Schema.OPTIONAL_STRING_SCHEMA).build();

    private static AuditEvent event(long offset, long position, Schema row, String entity) {
        return event(offset, position, row, entity, 1_700_000_000_000L);
    }

    private static AuditEvent event(long offset, long position, Schema row, String entity, long ts) {
        Schema schema = SchemaBuilder.struct().field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA)
                .field("ts", Schema.INT64_SCHEMA).field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
                .field("position", Schema.INT64_SCHEMA).field("before", row).field("after", row).build();
        Struct after = new Struct(row).put("id", (int) offset);
        Struct value = new Struct(schema).put("uuid", "u-" + position).put("type", "CREATE").put("ts", ts)
                .put("entity", entity).put("id", Long.toString(offset)).put("position", position).put("after", after);
        return AuditEvent.of(new SinkRecord(TP.topic(), TP.partition(), null, null, schema, value, offset));
    }

    @Test
    void eventsTheTableAlreadyHoldsAreSkippedWhenDeliveredAgain() {
        assertThat(writer.write(TP, List.of(event(0, 10, ROW, "shop.orders"), event(1, 11, ROW, "shop.orders")))).isEmpty();
        assertThat(writer.write(TP, List.of(event(1, 11, ROW, "shop.orders"), event(2, 12, ROW, "shop.orders")))).isEmpty();

        assertThat(written).containsExactly(List.of(0L, 1L), List.of(2L));
        assertThat(writer.duplicatesSkipped()).isEqualTo(1);
        assertThat(writer.rowsWritten()).isEqualTo(3);
        assertThat(tables).containsOnlyKeys("shop_orders");
    }

    /** A writer on the same store whose regression detection reads the clock {@code now[0]}. */
    private AuditWriter watchedAt(long[] now) {
        return new AuditWriter(new HiveAuditSinkConfig(Map.of("hive.jdbc.url", "jdbc:hive2://127.0.0.1:1/default",
                "table.location", "file:///audit", "topics", TP.topic())), catalog, store,
                new StaleRuns(() -> now[0], "test", "the audit tables"));
    }

    @Test
    void aMinuteOfNothingButEventsBelowTheWatermarkIsAPositionRegression() {
        long[] now = {1_000_000};
        AuditWriter watched = watchedAt(now);
        assertThat(watched.write(TP, List.of(event(0, 5_000, ROW, "shop.orders")))).isEmpty();
        // A replay after a restart: a short burst of events the table holds, then new ones again.
        watched.write(TP, List.of(event(0, 5_000, ROW, "shop.orders")));
        watched.write(TP, List.of(event(1, 5_001, ROW, "shop.orders")));
        assertThat(watched.positionRegressions()).isZero();

        // The source's positions went back (a reset without a new epoch): every later change is below the watermark.
        for (int i = 0; i < 150; i++) {
            watched.write(TP, List.of(event(2 + i, 10 + i, ROW, "shop.orders")));
            now[0] += 500;
        }
        assertThat(watched.duplicatesSkipped()).isEqualTo(151);
        assertThat(watched.positionRegressions()).as("75 s of nothing but skips, counted once").isEqualTo(1);
    }

    @Test
    void oneEventOfAnEarlierEpochBelowTheWatermarkIsAPositionRegressionAtOnce() {
        long[] now = {1_000_000};
        AuditWriter watched = watchedAt(now);
        long epoch1 = 1L << 56;
        long epoch2 = 2L << 56;
        watched.write(TP, List.of(event(0, epoch2 | 7, ROW, "shop.orders")));
        watched.write(TP, List.of(event(1, epoch2 | 7, ROW, "shop.orders")));
        assertThat(watched.positionRegressions()).as("a replay at the watermark").isZero();
        watched.write(TP, List.of(event(2, epoch1 | 900, ROW, "shop.orders")));
        assertThat(watched.positionRegressions()).as("a change of the epoch before").isEqualTo(1);
    }

    @Test
    void afterAFailedWriteWhatTheTableHoldsIsLearntAgainFromTheStore() {
        failNextWrite = new HiveUnavailableException("HiveServer2 went away", null);
        List<AuditEvent> batch = List.of(event(0, 10, ROW, "shop.orders"));
        try {
            writer.write(TP, batch);
        } catch (HiveUnavailableException expected) {
            // retried by the task
        }
        writer.write(TP, batch);
        assertThat(recovered).as("the watermark is recovered once at first and once after the failure").isEqualTo(2);
        assertThat(written).containsExactly(List.of(0L));
    }

    @Test
    void aFlushAcrossMidnightThatFailsHalfwayLosesNothingAndDoublesNothing() {
        // Binlog order is commit order; ts is when each statement began, so a transaction that began before
        // midnight and committed after it lands in the day before, between two events of the day after.
        long beforeMidnight = 1_700_006_399_000L;
        long afterMidnight = 1_700_006_400_500L;
        List<AuditEvent> batch = List.of(event(0, 10, ROW, "shop.orders", afterMidnight),
                event(1, 11, ROW, "shop.orders", beforeMidnight), event(2, 12, ROW, "shop.orders", afterMidnight));
        writesBeforeFailure = 1;
        try {
            writer.write(TP, batch);
        } catch (HiveUnavailableException expected) {
            // retried by the task with the same batch
        }
        writer.write(TP, batch);

        assertThat(inTable).extracting(AuditEvent::offset).containsExactly(0L, 1L, 2L);
        assertThat(written).as("one file per run, in offset order").containsExactly(List.of(0L), List.of(1L), List.of(2L));
        assertThat(partitions).containsExactly("2023-11-15", "2023-11-14", "2023-11-15");
        assertThat(writer.rowsWritten()).isEqualTo(3);
    }

    @Test
    void aNewColumnIsAddedAndAColumnWhoseTypeChangedIsRefusedAlone() {
        writer.write(TP, List.of(event(0, 10, ROW, "shop.orders")));
        List<AuditWriter.Refused> refused = writer.write(TP, List.of(event(1, 11, WIDER, "shop.orders"),
                event(2, 12, RETYPED, "shop.orders")));

        assertThat(added).containsExactly("before_note STRING", "after_note STRING");
        assertThat(refused).singleElement().satisfies(r -> {
            assertThat(r.event().offset()).isEqualTo(2);
            assertThat(r.reason().getMessage()).contains("before_total").contains("BIGINT").contains("STRING");
        });
        assertThat(written).containsExactly(List.of(0L), List.of(1L));
    }

    @Test
    void anEntityWithoutADatabaseIsATable() {
        writer.write(TP, List.of(event(0, 10, ROW, "orders")));
        assertThat(tables).containsOnlyKeys("_orders");
    }
}
