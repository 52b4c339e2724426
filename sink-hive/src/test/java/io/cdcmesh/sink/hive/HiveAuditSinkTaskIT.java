package io.cdcmesh.sink.hive;

import static io.cdcmesh.sink.hive.AuditEvents.ROW_V1;
import static io.cdcmesh.sink.hive.AuditEvents.ROW_V2;
import static io.cdcmesh.sink.hive.AuditEvents.title;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Hive audit sink's task against a real HiveServer2, driven as a Connect worker would drive it. */
@ExtendWith(HiveExtension.class)
class HiveAuditSinkTaskIT {
    private static final String TOPIC = "studio.film.titles";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final long DAY_1 = 1_763_856_000_000L; // 2025-11-23T00:00:00Z
    private static final long DAY_2 = DAY_1 + 86_400_000L;

    private final SinkTasks tasks = new SinkTasks();

    @AfterEach
    void stopTasks() {
        tasks.close();
    }

    @Test
    void everyChangeIsOneRowWithBothImagesAndTheReadmeQueriesGiveHistoryAndStateAsOf(HiveServer hive) {
        String db = "audit_rows";
        RecordingSinkContext context = new RecordingSinkContext(TP);
        HiveAuditSinkTask task = start(hive, db, context, Map.of("flush.size", "6"));
        AuditEvents events = new AuditEvents(TOPIC, "film.titles");
        String tricky = "line\nbreak, tab\t, \\N, back\\slash, 'quote', ctrl\u0001a, emoji \uD83C\uDFAC";
        Struct t1 = title(ROW_V1, 1, "Night Train", 20_270, "1000.50");
        Struct t2 = title(ROW_V1, 2, tricky, 20_271, null);
        Struct t1b = title(ROW_V1, 1, "Night Train (director's cut)", 20_240, "1200.00");
        List<SinkRecord> records = List.of(
                events.event("READ", null, t1, 100, DAY_1),
                events.event("CREATE", null, t2, 200, DAY_1 + 1_000),
                events.event("UPDATE", t1, t1b, 300, DAY_1 + 2_000),
                events.event("DELETE", t2, null, 400, DAY_2 + 1_000),
                events.event("UPDATE", t1b, t1, 500, DAY_2 + 2_000),
                events.event("UPDATE", t1, t1b, 600, DAY_2 + 3_000));
        task.put(records);

        assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(6)))).isEqualTo(Map.of(TP, new OffsetAndMetadata(6)));
        List<Map<String, Object>> rows = hive.query("SELECT * FROM " + db + ".film_titles");
        assertThat(rows).hasSize(6);
        assertThat(rows).extracting(r -> r.get("uuid")).containsExactlyInAnyOrderElementsOf(
                records.stream().map(AuditEvents::uuid).toList());
        Map<String, Object> created = rows.stream().filter(r -> "CREATE".equals(r.get("type"))).findFirst().orElseThrow();
        assertThat(created.get("after_title")).isEqualTo(tricky);
        assertThat(created.get("before_title")).isNull();
        assertThat(created.get("after_budget")).isNull();
        assertThat(created.get("after_launch_date").toString()).isEqualTo("2025-07-02");
        assertThat(created.get("kafka_offset")).isEqualTo(1L);
        assertThat(created.get("day")).isEqualTo("2025-11-23");
        Map<String, Object> deleted = rows.stream().filter(r -> "DELETE".equals(r.get("type"))).findFirst().orElseThrow();
        assertThat(deleted.get("before_title")).isEqualTo(tricky);
        assertThat(deleted.get("day")).isEqualTo("2025-11-24");
        Map<String, Object> update = rows.stream().filter(r -> Long.valueOf(300).equals(r.get("position"))).findFirst().orElseThrow();
        assertThat(new BigDecimal(update.get("before_budget").toString())).isEqualByComparingTo("1000.50");
        assertThat(new BigDecimal(update.get("after_budget").toString())).isEqualByComparingTo("1200.00");

        // The README's queries: every change to one id in order, and a table's state as of a time.
        assertThat(hive.query(Queries.history(db + ".film_titles", "1"))).extracting(r -> r.get("type"))
                .containsExactly("READ", "UPDATE", "UPDATE", "UPDATE");
        List<Map<String, Object>> asOfDay1 = hive.query(Queries.stateAsOf(db + ".film_titles", "2025-11-23 23:59:59"));
        assertThat(asOfDay1).extracting(r -> r.get("id"), r -> r.get("after_title"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("1", "Night Train (director's cut)"),
                        org.assertj.core.groups.Tuple.tuple("2", tricky));
        List<Map<String, Object>> asOfDay2 = hive.query(Queries.stateAsOf(db + ".film_titles", "2025-11-24 00:00:02"));
        assertThat(asOfDay2).extracting(r -> r.get("id"), r -> r.get("after_title"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", "Night Train"));
    }

    @ParameterizedTest(name = "storage.format={0}")
    @ValueSource(strings = {"text", "orc", "parquet"})
    void redeliveryAfterACrashAndDebeziumReplaysAddNoRowTwice(String format, HiveServer hive) {
        String db = "audit_redelivery_" + format;
        AuditEvents events = new AuditEvents(TOPIC, "film.titles");
        List<SinkRecord> stream = new ArrayList<>();
        // A snapshot (all rows at one position), then streamed changes.
        for (int id = 1; id <= 8; id++) {
            stream.add(events.event("READ", null, title(ROW_V1, id, "Title " + id, 20_000, "1.00"), 1_000, DAY_1));
        }
        for (int i = 0; i < 12; i++) {
            int id = 1 + i % 8;
            stream.add(events.event("UPDATE", title(ROW_V1, id, "Title " + id, 20_000, "1.00"),
                    title(ROW_V1, id, "Title " + id + " r" + i, 20_000, "1.00"), 2_000 + i, DAY_1 + i));
        }
        Map<String, String> settings = Map.of("flush.size", "5", "storage.format", format);
        HiveAuditSinkTask first = start(hive, db, new RecordingSinkContext(TP), settings);
        first.put(stream.subList(0, 10)); // written: the snapshot and two streamed changes
        first.put(stream.subList(10, 13)); // held: fewer than flush.size
        // The task dies before its offsets are committed; a new one gets everything from offset 0 again,
        // and Debezium, restarted too, replays events 6-15 at new offsets.
        HiveAuditSinkTask second = start(hive, db, new RecordingSinkContext(TP), settings);
        List<SinkRecord> redelivered = new ArrayList<>(stream);
        for (SinkRecord record : stream.subList(6, 16)) {
            redelivered.add(events.replay(record));
        }
        second.put(redelivered);
        second.put(List.of());
        Map<TopicPartition, OffsetAndMetadata> committed = second.preCommit(Map.of(TP, new OffsetAndMetadata(redelivered.size())));

        List<Map<String, Object>> rows = hive.query("SELECT uuid, kafka_offset FROM " + db + ".film_titles");
        Map<Object, Long> perUuid = rows.stream().collect(Collectors.groupingBy(r -> r.get("uuid"), Collectors.counting()));
        assertThat(perUuid).hasSize(stream.size());
        assertThat(perUuid.values()).allMatch(n -> n == 1);
        assertThat(perUuid.keySet()).containsExactlyInAnyOrderElementsOf(stream.stream().map(AuditEvents::uuid).toList());
        assertThat(committed.get(TP).offset()).isLessThanOrEqualTo(redelivered.size());
    }

    /**
     * As NormalizeChangeEvent writes them now: a snapshot's rows share a position and an ordinal, the changes of one
     * transaction share a position and are told apart by their ordinals. A crash, redelivery and a Debezium replay from
     * the middle of the transaction add no row twice; the new task learns the mark from the file names alone.
     */
    @ParameterizedTest(name = "storage.format={0}")
    @ValueSource(strings = {"text", "orc"})
    void aSnapshotAndATransactionAtOnePositionEachAreWrittenOnceThroughACrashAndAReplay(String format, HiveServer hive) {
        String db = "audit_ordinals_" + format;
        AuditEvents events = new AuditEvents(TOPIC, "film.titles");
        List<SinkRecord> stream = new ArrayList<>();
        for (int id = 1; id <= 8; id++) {
            stream.add(events.event("READ", null, title(ROW_V1, id, "Title " + id, 20_000, "1.00"), 1_000, 1_763_000_000_000L, DAY_1));
        }
        // One transaction: every change at position 2000, in the order of their ordinals; a key change is a DELETE and
        // a CREATE one apart.
        for (int i = 0; i < 12; i++) {
            int id = 1 + i % 8;
            stream.add(events.event("UPDATE", title(ROW_V1, id, "Title " + id, 20_000, "1.00"),
                    title(ROW_V1, id, "Title " + id + " r" + i, 20_000, "1.00"), 2_000, (2L + i) << 32, DAY_1 + i));
        }
        stream.add(events.event("DELETE", title(ROW_V1, 8, "Title 8", 20_000, "1.00"), null, 2_000, 20L << 32, DAY_1 + 20));
        stream.add(events.event("CREATE", null, title(ROW_V1, 9, "Title 8", 20_000, "1.00"), 2_000, (20L << 32) + 1, DAY_1 + 20));
        Map<String, String> settings = Map.of("flush.size", "5", "storage.format", format);
        HiveAuditSinkTask first = start(hive, db, new RecordingSinkContext(TP), settings);
        first.put(stream.subList(0, 10)); // written: the snapshot and two changes of the transaction
        first.put(stream.subList(10, 13)); // held: fewer than flush.size
        HiveAuditSinkTask second = start(hive, db, new RecordingSinkContext(TP), settings);
        List<SinkRecord> redelivered = new ArrayList<>(stream);
        for (SinkRecord record : stream.subList(9, 16)) {
            redelivered.add(events.replay(record)); // Debezium resumed inside the transaction
        }
        second.put(redelivered);
        second.put(List.of());
        second.preCommit(Map.of(TP, new OffsetAndMetadata(redelivered.size())));

        List<Map<String, Object>> rows = hive.query("SELECT uuid FROM " + db + ".film_titles");
        Map<Object, Long> perUuid = rows.stream().collect(Collectors.groupingBy(r -> r.get("uuid"), Collectors.counting()));
        assertThat(perUuid.values()).allMatch(n -> n == 1);
        assertThat(perUuid.keySet()).containsExactlyInAnyOrderElementsOf(stream.stream().map(AuditEvents::uuid).toList());
    }

    @Test
    void anIdleTopicsLastRowsLandWithinTheRotateInterval(HiveServer hive) {
        String db = "audit_idle";
        RecordingSinkContext context = new RecordingSinkContext(TP);
        HiveAuditSinkTask task = start(hive, db, context, Map.of("flush.size", "1000", "rotate.interval.ms", "1500"));
        AuditEvents events = new AuditEvents(TOPIC, "film.titles");
        long started = System.currentTimeMillis();
        task.put(List.of(events.event("CREATE", null, title(ROW_V1, 1, "a", 1, "1.00"), 10, DAY_1),
                events.event("CREATE", null, title(ROW_V1, 2, "b", 1, "1.00"), 11, DAY_1)));
        // The task asks the worker to call it again by the time the rows are due, though no record will come.
        assertThat(context.timeout).isBetween(1L, 1500L);
        Await.until(Duration.ofSeconds(30), "the buffered rows committed with no more records", () -> {
            task.put(List.of());
            return task.preCommit(Map.of(TP, new OffsetAndMetadata(2))).equals(Map.of(TP, new OffsetAndMetadata(2)));
        });
        assertThat(System.currentTimeMillis() - started).isGreaterThanOrEqualTo(1500L);
        assertThat(hive.query("SELECT uuid FROM " + db + ".film_titles")).hasSize(2);
    }

    @ParameterizedTest(name = "storage.format={0}")
    @ValueSource(strings = {"text", "orc", "parquet"})
    void aColumnAddedAtTheSourceIsAddedToTheTableAndLaterRowsCarryIt(String format, HiveServer hive) {
        String db = "audit_columns_" + format;
        HiveAuditSinkTask task = start(hive, db, new RecordingSinkContext(TP), Map.of("flush.size", "2", "storage.format", format));
        AuditEvents events = new AuditEvents(TOPIC, "film.titles");
        task.put(List.of(events.event("CREATE", null, title(ROW_V1, 1, "a", 1, "1.00"), 10, DAY_1),
                events.event("CREATE", null, title(ROW_V1, 2, "b", 1, "1.00"), 11, DAY_1)));
        Struct rated = title(ROW_V2, 3, "c", 1, "1.00").put("rating", 8.5);
        task.put(List.of(events.event("CREATE", null, rated, 12, DAY_1),
                events.event("UPDATE", title(ROW_V2, 1, "a", 1, "1.00"), title(ROW_V2, 1, "a", 1, "1.00").put("rating", 7.0), 13, DAY_1)));

        Map<Object, Object> ratings = new HashMap<>();
        hive.query("SELECT id, type, after_rating FROM " + db + ".film_titles")
                .forEach(r -> ratings.put(r.get("id") + "/" + r.get("type"), r.get("after_rating")));
        assertThat(ratings).containsEntry("3/CREATE", 8.5).containsEntry("1/UPDATE", 7.0)
                .containsEntry("1/CREATE", null).containsEntry("2/CREATE", null);
    }

    @Test
    void namesThatNeedQuotingWorkNamesHiveCantHoldAreMappedAndColumnsThatWouldMixAreDeadLettered(HiveServer hive) {
        String db = "audit_names";
        RecordingSinkContext context = new RecordingSinkContext(TP);
        HiveAuditSinkTask task = start(hive, db, context, Map.of("flush.size", "3", "table.name.pattern", "${table}"));
        Schema odd = SchemaBuilder.struct().name("odd").optional()
                .field("id", Schema.INT32_SCHEMA).field("Table", Schema.OPTIONAL_STRING_SCHEMA)
                .field("Mixed Case", Schema.OPTIONAL_STRING_SCHEMA).field("select", Schema.OPTIONAL_INT64_SCHEMA)
                .field("dot.ted", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema clash = SchemaBuilder.struct().name("clash").optional()
                .field("id", Schema.INT32_SCHEMA).field("a.b", Schema.OPTIONAL_STRING_SCHEMA).field("a_b", Schema.OPTIONAL_STRING_SCHEMA).build();
        AuditEvents reserved = new AuditEvents(TOPIC, "film.Order");
        AuditEvents mapped = new AuditEvents(TOPIC, "film.bad-name");
        AuditEvents mixing = new AuditEvents(TOPIC, "film.clash");
        SinkRecord ok1 = reserved.event("CREATE", null, new Struct(odd).put("id", 1).put("Table", "t").put("Mixed Case", "m").put("select", 5L)
                .put("dot.ted", "d"), 1, DAY_1);
        SinkRecord renamed = mapped.event("CREATE", null, new Struct(odd).put("id", 2), 2, DAY_1);
        SinkRecord bad = mixing.event("CREATE", null, new Struct(clash).put("id", 4), 3, DAY_1);
        SinkRecord ok2 = reserved.event("CREATE", null, new Struct(odd).put("id", 3).put("Table", "u"), 4, DAY_1);
        task.put(List.of(ok1, renamed, bad, ok2));

        assertThat(hive.query("SELECT id, after_table, `after_mixed case`, after_select, after_dot_ted FROM " + db + ".`order`"))
                .extracting(r -> r.get("id"), r -> r.get("after_table"), r -> r.get("after_mixed case"), r -> r.get("after_select"),
                        r -> r.get("after_dot_ted"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("1", "t", "m", 5L, "d"),
                        org.assertj.core.groups.Tuple.tuple("3", "u", null, null, null));
        assertThat(hive.query("SELECT id, entity FROM " + db + ".bad_name")).extracting(r -> r.get("id"), r -> r.get("entity"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple("2", "film.bad-name"));
        assertThat(context.reported()).hasSize(1);
        assertThat(context.reported().get(0).getKey()).isSameAs(bad);
        assertThat(context.reported().get(0).getValue().getMessage()).contains("film.clash").contains("a_b").contains("collide");
    }

    @Test
    void whileHiveServer2IsDownAFlushAcrossMidnightStopsHalfwayAndLaterWritesTheRestOnce(HiveServer hive) throws Exception {
        String db = "audit_outage";
        RecordingSinkContext context = new RecordingSinkContext(TP);
        HiveAuditSinkTask task = start(hive, db, context, Map.of("flush.size", "2", "retry.backoff.ms", "100",
                "retry.backoff.max.ms", "1000"));
        AuditEvents events = new AuditEvents(TOPIC, "film.titles");
        List<SinkRecord> records = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            // The last two rows fall on the next day: their partition must be registered through Hive.
            records.add(events.event("CREATE", null, title(ROW_V1, i, "t" + i, 1, "1.00"), 10 + i, i < 4 ? DAY_1 : DAY_2));
        }
        task.put(records.subList(0, 2));
        hive.stop();
        try {
            // One flush across midnight: the first day's file needs no Hive (its partition is registered) and lands;
            // registering the next day's fails. A prefix of the flush is in the table.
            task.put(records.subList(2, 6));
            assertThat(context.paused).containsExactly(TP);
            assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(6)))).isEqualTo(Map.of(TP, new OffsetAndMetadata(2)));
            assertThat(dataFilesPerDay(hive, db)).isEqualTo(Map.of("day=2025-11-23", 2L));
            task.put(List.of());
        } finally {
            hive.start();
        }
        Await.until(Duration.ofSeconds(60), "the task to write the rest once Hive is back", () -> {
            task.put(List.of());
            return context.paused.isEmpty() && task.preCommit(Map.of(TP, new OffsetAndMetadata(6))).get(TP).offset() == 6;
        });
        List<Map<String, Object>> rows = hive.query("SELECT uuid FROM " + db + ".film_titles");
        assertThat(rows).extracting(r -> r.get("uuid")).containsExactlyInAnyOrderElementsOf(records.stream().map(AuditEvents::uuid).toList());
        assertThat(dataFilesPerDay(hive, db)).isEqualTo(Map.of("day=2025-11-23", 2L, "day=2025-11-24", 1L));
    }

    /** Data files per partition directory of {@code db}'s tables (temporary files left out). */
    private static Map<String, Long> dataFilesPerDay(HiveServer hive, String db) throws java.io.IOException {
        java.nio.file.Path root = hive.externalWarehouse().resolveSibling("audit").resolve(db);
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(root)) {
            return files.filter(java.nio.file.Files::isRegularFile).filter(f -> f.getParent().getFileName().toString().startsWith("day="))
                    .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().endsWith(".crc"))
                    .collect(Collectors.groupingBy(f -> f.getParent().getFileName().toString(), Collectors.counting()));
        }
    }

    @Test
    void thePortableJdbcPathWritesTheSameRowsAndLearnsWhatATableHoldsFromHive(HiveServer hive) {
        String db = "audit_jdbc";
        Map<String, String> jdbc = Map.of("flush.size", "4", "write.mode", "jdbc");
        Schema row = SchemaBuilder.struct().name("row").optional().field("id", Schema.INT32_SCHEMA)
                .field("note", Schema.OPTIONAL_STRING_SCHEMA).field("blob", Schema.OPTIONAL_BYTES_SCHEMA).build();
        AuditEvents events = new AuditEvents(TOPIC, "film.notes");
        String tricky = "it's ${env:HOME} \\ \"q\" line\nbreak ctrl\u0001 ; DROP TABLE x; -- \uD83C\uDFAC";
        List<SinkRecord> stream = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            stream.add(events.event("CREATE", null, new Struct(row).put("id", i).put("note", tricky + i).put("blob", new byte[] {0, (byte) i, -1}),
                    100 + i, DAY_1));
        }
        HiveAuditSinkTask first = start(hive, db, new RecordingSinkContext(TP), jdbc);
        first.put(stream.subList(0, 4)); // written: one INSERT of four rows
        HiveAuditSinkTask second = start(hive, db, new RecordingSinkContext(TP), jdbc);
        List<SinkRecord> redelivered = new ArrayList<>(stream);
        redelivered.add(events.replay(stream.get(3)));
        second.put(redelivered);
        second.put(List.of());
        assertThat(second.preCommit(Map.of(TP, new OffsetAndMetadata(redelivered.size())))).containsKey(TP);

        List<Map<String, Object>> rows = hive.query("SELECT uuid, after_note, base64(after_blob) AS blob FROM " + db + ".film_notes");
        assertThat(rows).extracting(r -> r.get("uuid")).containsExactlyInAnyOrderElementsOf(stream.stream().map(AuditEvents::uuid).toList());
        assertThat(rows).extracting(r -> r.get("after_note")).allMatch(n -> ((String) n).startsWith(tricky));
        assertThat(rows).extracting(r -> r.get("blob")).contains("AAD/", "AAX/");
    }

    @Test
    void aColumnAnotherTaskAddedFirstIsFoundInsteadOfAddedTwice(HiveServer hive) {
        String db = "audit_two_tasks";
        TopicPartition other = new TopicPartition("studio.film.titles_b", 0);
        HiveAuditSinkTask first = start(hive, db, new RecordingSinkContext(TP), Map.of("flush.size", "1"));
        RecordingSinkContext secondContext = new RecordingSinkContext(other);
        HiveAuditSinkTask second = start(hive, db, secondContext, Map.of("flush.size", "1"));
        AuditEvents a = new AuditEvents(TP.topic(), "film.titles");
        AuditEvents b = new AuditEvents(other.topic(), "film.titles");
        first.put(List.of(a.event("CREATE", null, title(ROW_V1, 1, "a", 1, "1.00"), 10, DAY_1)));
        second.put(List.of(b.event("CREATE", null, title(ROW_V1, 2, "b", 1, "1.00"), 11, DAY_1)));
        // Both tasks know the table without `rating`; the first adds it, then the second meets it too.
        first.put(List.of(a.event("CREATE", null, title(ROW_V2, 3, "c", 1, "1.00").put("rating", 1.5), 12, DAY_1)));
        second.put(List.of(b.event("CREATE", null, title(ROW_V2, 4, "d", 1, "1.00").put("rating", 2.5), 13, DAY_1)));

        assertThat(secondContext.pauses).as("the second task never had to wait for Hive").isZero();
        assertThat(secondContext.reported()).isEmpty();
        assertThat(hive.query("SELECT id, after_rating FROM " + db + ".film_titles WHERE after_rating IS NOT NULL"))
                .extracting(r -> r.get("id"), r -> r.get("after_rating"))
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("3", 1.5), org.assertj.core.groups.Tuple.tuple("4", 2.5));
    }

    private HiveAuditSinkTask start(HiveServer hive, String db, RecordingSinkContext context, Map<String, String> overrides) {
        return tasks.start(hive, db, context, overrides);
    }
}
