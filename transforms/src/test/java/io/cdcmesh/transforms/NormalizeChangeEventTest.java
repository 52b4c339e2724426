package io.cdcmesh.transforms;

import static io.cdcmesh.transforms.DebeziumRecords.COMMIT_MS;
import static io.cdcmesh.transforms.DebeziumRecords.TITLES;
import static io.cdcmesh.transforms.DebeziumRecords.launchDateMoved;
import static io.cdcmesh.transforms.DebeziumRecords.titleCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.transforms.DebeziumRecords.Change;
import io.cdcmesh.transforms.DebeziumRecords.Table;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NormalizeChangeEventTest {
    private final NormalizeChangeEvent<SourceRecord> smt = new NormalizeChangeEvent<>();
    private final NormalizeChangeEvent<SinkRecord> sinkSmt = new NormalizeChangeEvent<>();

    private void configure(Map<String, String> props) {
        smt.configure(props);
        sinkSmt.configure(props);
    }

    @AfterEach
    void close() {
        smt.close();
        sinkSmt.close();
    }

    @Test
    void insertWithSchemaBecomesCreateEventWithEveryContractField() {
        configure(Map.of());
        SourceRecord out = smt.apply(titleCreated("7").at("mysql-bin.000003", 4_711, 2).withSchema());

        assertThat(out.keySchema().name()).isEqualTo("studio.film.titles.Key");
        assertThat(((Struct) out.key()).get("id")).isEqualTo("7");
        Struct value = (Struct) out.value();
        assertThat(out.valueSchema().name()).isEqualTo("studio.film.titles.ChangeEvent");
        assertThat(value.getString("type")).isEqualTo("CREATE");
        assertThat(value.getInt64("ts")).isEqualTo(COMMIT_MS);
        assertThat(value.getString("entity")).isEqualTo("film.titles");
        assertThat(value.getString("id")).isEqualTo("7");
        assertThat(value.getInt64("position")).as("epoch 1, then the transaction's start in the binlog (no GTIDs) plus one")
                .isEqualTo((1L << 56) | ((3L << 32) | 4_711) + 1);
        assertThat(value.getStruct("before")).isNull();
        assertThat(value.getStruct("after").getString("title")).isEqualTo("Orbit");
        UUID uuid = UUID.fromString(value.getString("uuid"));
        assertThat(uuid.version()).isEqualTo(5);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat((Object) out.headers().lastWithName("cdc.type").value()).isEqualTo("CREATE");
        assertThat((Object) out.headers().lastWithName("cdc.uuid").value()).isEqualTo(value.getString("uuid"));
        assertThat((Object) out.headers().lastWithName("cdc.position").value()).isEqualTo(value.getInt64("position"));
        assertThat(out.topic()).isEqualTo(DebeziumRecords.TOPIC);
    }

    @Test
    void opCodesMapToCrudTypes() {
        configure(Map.of());
        assertThat(typeOf(smt.apply(titleCreated("1").withSchema()))).isEqualTo("CREATE");
        assertThat(typeOf(smt.apply(titleCreated("1").op("r").withSchema()))).isEqualTo("READ");
        assertThat(typeOf(smt.apply(launchDateMoved(1, 2).withSchema()))).isEqualTo("UPDATE");
        SourceRecord delete = smt.apply(new Change(TITLES).op("d").key("id", "7").before("id", "7", "title", "Orbit").withSchema());
        assertThat(typeOf(delete)).isEqualTo("DELETE");
        assertThat(((Struct) delete.value()).getStruct("after")).isNull();
        assertThat(((Struct) delete.value()).getStruct("before").getString("title")).isEqualTo("Orbit");
    }

    @Test
    void schemalessRecordGivesTheSameEventAsWithSchema() {
        configure(Map.of());
        Change change = launchDateMoved(20_270, 20_240).at("mysql-bin.000012", 90_000, 1);
        Struct withSchema = (Struct) sinkSmt.apply(change.withSchemaOnSinkSide()).value();
        SinkRecord out = sinkSmt.apply(change.schemaless());

        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) out.value();
        assertThat(out.valueSchema()).isNull();
        assertThat(value).containsOnlyKeys("uuid", "type", "ts", "entity", "id", "position", "ordinal", "before", "after");
        assertThat(value.get("uuid")).isEqualTo(withSchema.getString("uuid"));
        assertThat(value.get("type")).isEqualTo("UPDATE");
        assertThat(value.get("ts")).isEqualTo(COMMIT_MS);
        assertThat(value.get("entity")).isEqualTo("film.titles");
        assertThat(value.get("id")).isEqualTo("7");
        assertThat(value.get("position")).isEqualTo(withSchema.getInt64("position"));
        assertThat(value.get("ordinal")).isEqualTo(withSchema.getInt64("ordinal")).isEqualTo(0L);
        assertThat(((Map<?, ?>) value.get("after")).get("launch_date")).isEqualTo(20_240L);
        assertThat(((Map<?, ?>) value.get("before")).get("launch_date")).isEqualTo(20_270L);
        assertThat(out.key()).isEqualTo(Map.of("id", "7"));
        assertThat(out.headers().lastWithName("cdc.uuid").value()).isEqualTo(value.get("uuid"));
        assertThat(out.kafkaOffset()).isEqualTo(42L);
    }

    @Test
    void tombstoneWithSchemaIsDroppedByDefaultAndKeptOnRequest() {
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), DebeziumRecords.TOPIC, 0, TITLES.keySchema,
                new Struct(TITLES.keySchema).put("id", "7"), null, null);
        configure(Map.of());
        assertThat(smt.apply(tombstone)).isNull();
        configure(Map.of("tombstone.handling", "keep"));
        assertThat(smt.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void schemalessTombstoneIsDroppedByDefaultAndKeptOnRequest() {
        SinkRecord tombstone = new SinkRecord(DebeziumRecords.TOPIC, 0, null, Map.of("id", "7"), null, null, 9L);
        configure(Map.of());
        assertThat(sinkSmt.apply(tombstone)).isNull();
        configure(Map.of("tombstone.handling", "KEEP"));
        assertThat(sinkSmt.apply(tombstone)).isSameAs(tombstone);
    }

    @Test
    void schemaChangeAndHeartbeatEventsFollowNonRowHandling() {
        Schema schemaChange = SchemaBuilder.struct().name("io.debezium.connector.mysql.SchemaChangeValue")
                .field("source", DebeziumRecords.SOURCE).field("databaseName", Schema.OPTIONAL_STRING_SCHEMA)
                .field("ddl", Schema.OPTIONAL_STRING_SCHEMA).build();
        SourceRecord ddl = new SourceRecord(Map.of(), Map.of(), "studio", 0, null, null, schemaChange,
                new Struct(schemaChange).put("source", titleCreated("1").sourceStruct()).put("ddl", "ALTER TABLE titles ADD x INT"));
        SinkRecord heartbeat = new SinkRecord("__debezium-heartbeat.studio", 0, null, Map.of("serverName", "studio"),
                null, Map.of("ts_ms", 1L), 3L);

        configure(Map.of());
        assertThat(smt.apply(ddl)).isNull();
        assertThat(sinkSmt.apply(heartbeat)).isNull();

        configure(Map.of("non.row.handling", "keep"));
        assertThat(smt.apply(ddl)).isSameAs(ddl);
        assertThat(sinkSmt.apply(heartbeat)).isSameAs(heartbeat);
    }

    @Test
    void compositeKeyIdOrdersColumnsByNameAndEscapesSoDifferentKeysNeverCollide() {
        configure(Map.of());
        Table credits = new Table("credits", "title_id", "person", "role");
        String plain = idOf(new Change(credits).key("title_id", "7", "person", "ada", "role", "lead")
                .after("title_id", "7", "person", "ada", "role", "lead"));
        assertThat(plain).isEqualTo("ada|lead|7");

        String a = idOf(new Change(credits).key("title_id", "c", "person", "a|b", "role", "x")
                .after("title_id", "c", "person", "a|b", "role", "x"));
        String b = idOf(new Change(credits).key("title_id", "c", "person", "a", "role", "b|x")
                .after("title_id", "c", "person", "a", "role", "b|x"));
        String c = idOf(new Change(credits).key("title_id", "c", "person", "a\\", "role", "|x")
                .after("title_id", "c", "person", "a\\", "role", "|x"));
        assertThat(List.of(a, b, c)).doesNotHaveDuplicates();
        assertThat(a).isEqualTo("a\\|b|x|c");
        assertThat(c).isEqualTo("a\\\\|\\|x|c");
    }

    @Test
    void compositeKeyIdIsTheSameWithAndWithoutSchema() {
        configure(Map.of());
        Table credits = new Table("credits", "title_id", "person");
        Change change = new Change(credits).key("title_id", "7", "person", "ada").after("title_id", "7", "person", "ada");
        String withSchema = ((Struct) smt.apply(change.withSchema()).value()).getString("id");
        Object schemaless = ((Map<?, ?>) sinkSmt.apply(change.schemaless()).value()).get("id");
        assertThat(schemaless).isEqualTo(withSchema).isEqualTo("ada|7");
    }

    @Test
    void tableWithoutPrimaryKeyGoesUnchangedToTheDeadLetterTopicNamingTheTable() {
        configure(Map.of());
        Table log = new Table("play_log");
        Change change = new Change(log).after("event_id", "e1", "title", "ROW-SENTINEL");
        SourceRecord in = change.withSchema();
        SourceRecord out = smt.apply(in);
        assertDeadLettered(out, in, "cdc-mesh.dlq.source", "film.play_log", "key.columns");
        assertThatThrownBy(() -> sinkSmt.apply(change.schemaless())).as("on a sink's chain Connect's own DLQ takes it")
                .isInstanceOf(DataException.class).hasMessageContaining("film.play_log");
    }

    @Test
    void anEmptyDeadLetterTopicMakesARefusedChangeFailTheTransform() {
        configure(Map.of("dead.letter.topic", ""));
        Change change = new Change(new Table("play_log")).after("event_id", "e1");
        assertThatThrownBy(() -> smt.apply(change.withSchema()))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("film.play_log")
                .hasMessageContaining("key.columns");
    }

    @Test
    void aChangeLargerThanMaxEventBytesIsSetAsideWithoutItsRows() {
        configure(Map.of("max.event.bytes", "1000"));
        SourceRecord small = smt.apply(titleCreated("7").withSchema());
        assertThat(small.topic()).as("under the limit: normalized as usual").isEqualTo("studio.film.titles");
        SourceRecord large = new Change(TITLES).op("c").key("id", "8").after("id", "8", "title", "x".repeat(2_000)).withSchema();
        SourceRecord out = smt.apply(large);
        assertThat(out.topic()).isEqualTo("cdc-mesh.dlq.source");
        assertThat((String) out.value()).contains("\"entity\":\"film.titles\"").contains("\"type\":\"CREATE\"")
                .contains("\"id\":\"8\"").contains("row_image_bytes").doesNotContain("xxxx");
        assertThat(out.key()).isEqualTo("{\"id\":\"8\"}");
        assertThat((String) out.headers().lastWithName("__connect.errors.exception.message").value())
                .contains("film.titles").contains("max.event.bytes").contains("max.request.size");
        assertThat(out.headers().lastWithName("__connect.errors.topic").value()).isEqualTo("studio.film.titles");
        NormalizeChangeEvent<SourceRecord> unlimited = new NormalizeChangeEvent<>();
        unlimited.configure(Map.of());
        assertThat(unlimited.apply(large).topic()).as("no limit by default").isEqualTo("studio.film.titles");
        unlimited.close();
    }

    @Test
    void aDeadLetterPassesLaterCdcMeshTransformsUntouched() {
        configure(Map.of("dead.letter.topic", "studio.dlq"));
        SourceRecord dead = smt.apply(new Change(new Table("play_log")).after("event_id", "e1").withSchema());
        assertThat(smt.apply(dead)).isSameAs(dead);
        try (FilterChangeEvent<SourceRecord> filter = new FilterChangeEvent<>();
                DropDuplicates<SourceRecord> dedupe = new DropDuplicates<>()) {
            filter.configure(Map.of("condition", "type == 'DELETE'"));
            dedupe.configure(Map.of());
            assertThat(filter.apply(dead)).isSameAs(dead);
            assertThat(dedupe.apply(dead)).isSameAs(dead);
        }
    }

    /** The record routed unchanged to {@code topic}, with Connect's error context headers naming the reason. */
    private static <R extends org.apache.kafka.connect.connector.ConnectRecord<R>> void assertDeadLettered(R out, R in, String topic,
            String... reasonFragments) {
        assertThat(out.topic()).isEqualTo(topic);
        assertThat(out.kafkaPartition()).isNull();
        assertThat(out.valueSchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(out.keySchema()).isEqualTo(Schema.OPTIONAL_STRING_SCHEMA);
        assertThat(out.value()).isEqualTo(JsonText.of(in.value()));
        assertThat(out.key()).isEqualTo(JsonText.of(in.key()));
        assertThat(out.headers().lastWithName("__connect.errors.topic").value()).isEqualTo(in.topic());
        assertThat(out.headers().lastWithName("__connect.errors.stage").value()).isEqualTo("TRANSFORMATION");
        assertThat(out.headers().lastWithName("__connect.errors.class.name").value()).isEqualTo(NormalizeChangeEvent.class.getName());
        assertThat(out.headers().lastWithName("__connect.errors.exception.class.name").value())
                .isEqualTo(DataException.class.getName());
        String message = (String) out.headers().lastWithName("__connect.errors.exception.message").value();
        assertThat(message).contains(reasonFragments).doesNotContain("ROW-SENTINEL");
        assertThat(out.headers().lastWithName("cdc.uuid")).as("not a normalized event").isNull();
    }

    @Test
    void configuredKeyColumnsBecomeTheKeyOfATableWithoutPrimaryKey() {
        configure(Map.of("key.columns", "film\\.play_.*:event_id"));
        Table log = new Table("play_log");
        SourceRecord created = smt.apply(new Change(log).after("event_id", "e1", "title", "Orbit").withSchema());
        assertThat(created.keySchema().name()).isEqualTo("studio.film.play_log.Key");
        assertThat(((Struct) created.key()).getString("event_id")).isEqualTo("e1");
        assertThat(((Struct) created.value()).getString("id")).isEqualTo("e1");

        SourceRecord deleted = smt.apply(new Change(log).op("d").before("event_id", "e1", "title", "Orbit").withSchema());
        assertThat(((Struct) deleted.key()).getString("event_id")).isEqualTo("e1");
        assertThat(created.keySchema()).isSameAs(deleted.keySchema());

        SinkRecord schemaless = sinkSmt.apply(new Change(log).after("event_id", "e2", "title", "Orbit").schemaless());
        assertThat(schemaless.key()).isEqualTo(Map.of("event_id", "e2"));
    }

    @Test
    void configuredKeyColumnThatTheTableLacksIsDeadLetteredNamingTheColumn() {
        configure(Map.of("key.columns", "film.play_log:no_such_column"));
        Change change = new Change(new Table("play_log")).after("event_id", "e1");
        SourceRecord in = change.withSchema();
        assertDeadLettered(smt.apply(in), in, "cdc-mesh.dlq.source", "no_such_column", "film.play_log");
        assertThatThrownBy(() -> sinkSmt.apply(change.schemaless())).isInstanceOf(DataException.class)
                .hasMessageContaining("no_such_column");
    }

    @Test
    void aNullKeyColumnIsDeadLetteredNamingTheColumn() {
        configure(Map.of("key.columns", "film.play_log:event_id"));
        SinkRecord sink = new Change(new Table("play_log")).after("event_id", null, "title", "ROW-SENTINEL").schemaless();
        SourceRecord in = new SourceRecord(Map.of(), Map.of(), sink.topic(), null, null, null, null, sink.value());
        assertDeadLettered(smt.apply(in), in, "cdc-mesh.dlq.source", "event_id", "null");
    }

    @Test
    void malformedKeyColumnsAreRefusedAtConfigureNamingTheKey() {
        assertThatThrownBy(() -> smt.configure(Map.of("key.columns", "film.play_log")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.columns");
        assertThatThrownBy(() -> smt.configure(Map.of("key.columns", "film.(play:event_id")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("key.columns");
        assertThatThrownBy(() -> smt.configure(Map.of("tombstone.handling", "delete")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tombstone.handling");
    }

    @Test
    void uuidIsDeterministicForTheSameBinlogRowAndDiffersForAnyOtherChange() {
        configure(Map.of());
        Change change = launchDateMoved(1, 2).at("mysql-bin.000003", 1_000, 0);
        String first = uuidOf(smt.apply(change.withSchema()));
        NormalizeChangeEvent<SourceRecord> rereadingTask = new NormalizeChangeEvent<>();
        rereadingTask.configure(Map.of());
        String again = uuidOf(rereadingTask.apply(change.withSchema()));
        assertThat(again).isEqualTo(first);

        assertThat(List.of(first,
                uuidOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.000003", 1_000, 1).withSchema())),
                uuidOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.000003", 1_001, 0).withSchema())),
                uuidOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.000004", 1_000, 0).withSchema()))))
                .doesNotHaveDuplicates();
    }

    @Test
    void keyChangeEmitsDeleteAndCreateFromOneBinlogRowWithDistinctUuids() {
        configure(Map.of());
        Change delete = new Change(TITLES).op("d").key("id", "7").before("id", "7").at("mysql-bin.000003", 600, 0);
        Change create = new Change(TITLES).op("c").key("id", "8").after("id", "8").at("mysql-bin.000003", 600, 0);
        assertThat(uuidOf(smt.apply(delete.withSchema()))).isNotEqualTo(uuidOf(smt.apply(create.withSchema())));
    }

    @Test
    void snapshotRowsShareAPositionButNotAUuid() {
        configure(Map.of());
        SourceRecord one = smt.apply(titleCreated("1").op("r").at("mysql-bin.000003", 2_000, 0).withSchema());
        SourceRecord two = smt.apply(titleCreated("2").op("r").at("mysql-bin.000003", 2_000, 0).withSchema());
        assertThat(positionOf(one)).isEqualTo(positionOf(two)).isEqualTo((1L << 56) | (3L << 32) | 2_000);
        assertThat(uuidOf(one)).isNotEqualTo(uuidOf(two));
    }

    @Test
    void onTheSinkSideSnapshotRowsTooShareTheSnapshotsStartAsOrdinalAndATakenAgainSnapshotGetsNewUuids() {
        configure(Map.of());
        Struct one = (Struct) sinkSmt.apply(titleCreated("1").op("r").at("mysql-bin.000003", 900, 0).withSchemaOnSinkSide()).value();
        Struct two = (Struct) sinkSmt.apply(titleCreated("2").op("r").at("mysql-bin.000003", 900, 0).withSchemaOnSinkSide()).value();
        Struct again = (Struct) sinkSmt.apply(titleCreated("1").op("r").at("mysql-bin.000003", 900, 0).ts(COMMIT_MS + 60_000)
                .withSchemaOnSinkSide()).value();
        assertThat(one.getInt64("ordinal")).isEqualTo(two.getInt64("ordinal")).isEqualTo(COMMIT_MS);
        assertThat(again.getInt64("position")).isEqualTo(one.getInt64("position"));
        assertThat(again.getString("uuid")).isNotEqualTo(one.getString("uuid"));
    }

    @Test
    void withoutGtidsTransactionsAreOrderedByTheirStartAndTheSnapshotSortsBeforeTheFirst() {
        configure(Map.of());
        long snapshot = positionOf(smt.apply(titleCreated("1").op("r").at("mysql-bin.000003", 2_000, 0).withSchema()));
        long first = positionOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.000003", 2_100, 0).transactionAt(2_000, 2).withSchema()));
        long sameTransaction = positionOf(smt.apply(launchDateMoved(2, 3).at("mysql-bin.000003", 2_300, 0).transactionAt(2_000, 4).withSchema()));
        long next = positionOf(smt.apply(launchDateMoved(3, 4).at("mysql-bin.000003", 2_900, 0).withSchema()));
        long nextFile = positionOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.000004", 4, 0).withSchema()));
        long bigFile = positionOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.1000000", 4, 0).withSchema()));
        assertThat(sameTransaction).as("every change of one transaction shares its position").isEqualTo(first);
        assertThat(List.of(snapshot, first, next, nextFile, bigFile)).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void withGtidsTheRankIsTheTransactionsPlaceInTheTopologyAcrossFailover() {
        configure(Map.of());
        String primary = "0f41fbd9-f261-11f1-a885-02fc00000001";
        String replica = "6c70be15-f261-11f1-b371-02fc00000002";
        long snapshot = positionOf(smt.apply(titleCreated("1").op("r").at("mysql-bin.000342", 900, 0)
                .transaction(primary + ":1-4", 0).withSchema()));
        long fifth = positionOf(smt.apply(launchDateMoved(1, 2).at("mysql-bin.000342", 1_000, 0)
                .transaction(primary + ":1-4", 2).withSchema()));
        // Failover: the new primary numbers its binlog files far behind the old one's.
        long afterFailover = positionOf(smt.apply(launchDateMoved(2, 3).at("mysql-bin.000017", 400, 0)
                .transaction(primary + ":1-5,\n" + replica + ":1", 2).withSchema()));
        long tagged = positionOf(smt.apply(launchDateMoved(3, 4).at("mysql-bin.000017", 900, 0)
                .transaction(primary + ":1-5:9-10," + replica + ":audit:1-2", 2).withSchema()));
        assertThat(snapshot).isEqualTo((1L << 56) | 4);
        assertThat(fifth).isEqualTo((1L << 56) | 5);
        assertThat(afterFailover).isEqualTo((1L << 56) | 7);
        assertThat(tagged).isEqualTo((1L << 56) | 10);
    }

    @Test
    void mariadbRanksAreTheSumOfItsDomainsSequenceNumbers() {
        configure(Map.of());
        long snapshot = positionOf(smt.apply(titleCreated("1").op("r").at("mariadb-bin.000001", 1_388, 0)
                .transaction("0-2-6", 0).withSchema()));
        long next = positionOf(smt.apply(titleCreated("4").mariadb("mariadb-bin.000001", 1_388, 0, 1)
                .transaction("0-2-6,1-3-100", 2).withSchema()));
        assertThat(snapshot).isEqualTo((1L << 56) | 6);
        assertThat(next).isEqualTo((1L << 56) | 107);
    }

    @Test
    void aHigherEpochSortsAboveEverythingBeforeIt() {
        configure(Map.of());
        long before = positionOf(smt.apply(launchDateMoved(1, 2).transaction("a:1-1000000", 2).withSchema()));
        configure(Map.of("position.epoch", "2"));
        long afterReset = positionOf(smt.apply(launchDateMoved(1, 2).transaction("a:1-3", 2).withSchema()));
        assertThat(afterReset).isGreaterThan(before).isEqualTo((2L << 56) | 4);
        assertThatThrownBy(() -> configure(Map.of("position.epoch", "128"))).isInstanceOf(ConfigException.class);
    }

    @Test
    void rowsInsideACompressedTransactionGetDistinctUuidsFromTheOffsetsEventAndRow() {
        configure(Map.of());
        // Inside a compressed payload every rows event reports the payload's pos, and row restarts in each.
        String set = "a:1-3";
        List<SourceRecord> out = List.of(
                titleCreated("1").at("mysql-bin.000001", 812, 0).transaction(set, 2).withSchema(),
                launchDateMoved(1, 2).at("mysql-bin.000001", 812, 0).transaction(set, 4).withSchema(),
                titleCreated("2").at("mysql-bin.000001", 812, 0).transaction(set, 6).withSchema(),
                titleCreated("3").at("mysql-bin.000001", 812, 1).transaction(set, 6).withSchema(),
                launchDateMoved(2, 3).at("mysql-bin.000001", 812, 0).transaction(set, 8).withSchema())
                .stream().map(smt::apply).toList();
        assertThat(out.stream().map(NormalizeChangeEventTest::uuidOf).toList()).doesNotHaveDuplicates();
        assertThat(out.stream().map(NormalizeChangeEventTest::positionOf).distinct().toList()).containsExactly((1L << 56) | 4);
        assertThat(out.stream().map(NormalizeChangeEventTest::ordinalOf).toList()).as("ordinals in the transaction's order")
                .isSorted().doesNotHaveDuplicates().containsExactly(2L << 32 | 1 << 1 | 1, 4L << 32 | 1 << 1, 6L << 32 | 1 << 1 | 1,
                        6L << 32 | 2 << 1 | 1, 8L << 32 | 1 << 1);
    }

    @Test
    void aKeyChangesDeleteSortsBeforeItsCreateAtOnePlaceOfTheTransaction() {
        configure(Map.of());
        SourceRecord delete = smt.apply(new Change(TITLES).op("d").key("id", "7").before("id", "7").at("mysql-bin.000003", 600, 0)
                .transaction("a:1-3", 4).withSchema());
        SourceRecord create = smt.apply(new Change(TITLES).op("c").key("id", "8").after("id", "8").at("mysql-bin.000003", 600, 0)
                .transaction("a:1-3", 4).withSchema());
        assertThat(positionOf(delete)).isEqualTo(positionOf(create));
        assertThat(ordinalOf(create)).isEqualTo(ordinalOf(delete) + 1);
        assertThat(uuidOf(delete)).isNotEqualTo(uuidOf(create));
    }

    @Test
    void snapshotRowsShareTheSnapshotsStartAsOrdinalAndASnapshotTakenAgainGetsNewUuids() {
        configure(Map.of());
        SourceRecord one = smt.apply(titleCreated("1").op("r").at("mysql-bin.000003", 900, 0).transaction("a:1-4", 0).withSchema());
        SourceRecord two = smt.apply(titleCreated("2").op("r").at("mysql-bin.000003", 900, 0).transaction("a:1-4", 0).withSchema());
        long start = ((Struct) one.value()).getInt64("ts");
        assertThat(ordinalOf(one)).isEqualTo(ordinalOf(two)).isEqualTo(start);
        SourceRecord again = smt.apply(titleCreated("1").op("r").at("mysql-bin.000003", 900, 0).transaction("a:1-4", 0)
                .ts(start + 60_000).withSchema());
        assertThat(positionOf(again)).isEqualTo(positionOf(one));
        assertThat(ordinalOf(again)).isEqualTo(start + 60_000);
        assertThat(uuidOf(again)).isNotEqualTo(uuidOf(one));
    }

    @Test
    void theSameRecordTransformedAgainGivesTheSameEvent() {
        // Connect re-applies the chain to a record whose send failed; nothing may depend on what came before.
        configure(Map.of());
        SourceRecord first = titleCreated("1").at("mysql-bin.000001", 812, 1).transaction("a:1-3", 2).withSchema();
        SourceRecord second = titleCreated("2").at("mysql-bin.000001", 812, 0).transaction("a:1-3", 4).withSchema();
        SourceRecord once = smt.apply(first);
        smt.apply(second);
        SourceRecord again = smt.apply(first);
        assertThat(again.value()).isEqualTo(once.value());
        assertThat(again.headers()).isEqualTo(once.headers());
    }

    @Test
    void onTheSinkSideMariadbChangesAreOrderedByTransactionTotalOrder() {
        configure(Map.of());
        long snapshot = positionOf(sinkSmt.apply(titleCreated("1").op("r").at("mariadb-bin.000001", 2_959, 0).withSchemaOnSinkSide()));
        List<Change> transaction = List.of(
                titleCreated("1").mariadb("mariadb-bin.000001", 2_959, 0, 1),
                titleCreated("4").mariadb("mariadb-bin.000001", 2_959, 0, 2),
                launchDateMoved(1, 2).mariadb("mariadb-bin.000001", 2_959, 0, 3),
                launchDateMoved(2, 3).mariadb("mariadb-bin.000001", 2_959, 0, 4));
        List<SinkRecord> out = transaction.stream().map(c -> sinkSmt.apply(c.withSchemaOnSinkSide())).toList();
        List<Long> positions = out.stream().map(NormalizeChangeEventTest::positionOf).toList();
        assertThat(positions).containsExactly(snapshot + 1, snapshot + 2, snapshot + 3, snapshot + 4);
        assertThat(out.stream().map(NormalizeChangeEventTest::uuidOf).toList()).doesNotHaveDuplicates();

        Object schemaless = ((Map<?, ?>) sinkSmt.apply(transaction.get(2).schemaless()).value()).get("position");
        assertThat(schemaless).isEqualTo(snapshot + 3);
    }

    @Test
    void onTheSinkSideAMariadbChangeWithoutTransactionMetadataIsRejected() {
        configure(Map.of());
        Change change = titleCreated("1").mariadb("mariadb-bin.000001", 2_959, 0, 1);
        change.totalOrder = null;
        assertThatThrownBy(() -> sinkSmt.apply(change.withSchemaOnSinkSide()))
                .isInstanceOf(UnorderableChangeException.class)
                .hasMessageContaining("provide.transaction.metadata=true");
    }

    @Test
    void onTheSinkSideTransactionPositionModeCanBeForcedForOtherConnectors() {
        configure(Map.of("position.mode", "transaction"));
        Change change = titleCreated("1").at("mariadb-bin.000001", 7_240, 0);
        change.totalOrder = 5L;
        assertThat(positionOf(sinkSmt.apply(change.withSchemaOnSinkSide()))).isEqualTo((1L << 32) | (7_240 + 5));
    }

    @Test
    void missingBinlogFileIsRejectedNamingTheField() {
        configure(Map.of());
        SinkRecord record = launchDateMoved(1, 2).schemaless();
        @SuppressWarnings("unchecked")
        Map<String, Object> value = new HashMap<>((Map<String, Object>) record.value());
        @SuppressWarnings("unchecked")
        Map<String, Object> source = new HashMap<>((Map<String, Object>) value.get("source"));
        source.remove("file");
        value.put("source", source);
        SinkRecord broken = record.newRecord(record.topic(), 0, null, record.key(), null, value, 0L);
        assertThatThrownBy(() -> sinkSmt.apply(broken))
                .as("a change that can't be ordered stops the task: every later one would be as wrong")
                .isInstanceOf(UnorderableChangeException.class)
                .hasMessageContaining("source.file");
    }

    @Test
    void truncateEventIsDeadLetteredAsNotARowChange() {
        configure(Map.of());
        SourceRecord truncate = new Change(TITLES).op("t").withSchema();
        assertDeadLettered(smt.apply(truncate), truncate, "cdc-mesh.dlq.source", "'op'", "'t'");
    }

    @Test
    void nonEnvelopeValueIsDeadLetteredNamingTheTopic() {
        configure(Map.of());
        SourceRecord text = new SourceRecord(Map.of(), Map.of(), "plain", null, null, null, Schema.STRING_SCHEMA, "hello");
        assertDeadLettered(smt.apply(text), text, "cdc-mesh.dlq.source", "plain");
    }

    @Test
    void outputSchemaIsDerivedOncePerInputSchema() {
        configure(Map.of());
        SourceRecord a = smt.apply(titleCreated("1").withSchema());
        SourceRecord b = smt.apply(launchDateMoved(1, 2).withSchema());
        Table credits = new Table("credits", "title_id", "person");
        smt.apply(new Change(credits).key("title_id", "7", "person", "ada").after("title_id", "7", "person", "ada").withSchema());
        SourceRecord c = smt.apply(titleCreated("2").withSchema());
        assertThat(a.valueSchema()).isSameAs(b.valueSchema()).isSameAs(c.valueSchema());
        assertThat(a.valueSchema().field("after").schema()).isSameAs(TITLES.rowSchema);
    }

    @Test
    void applyingTwiceKeepsOneSetOfHeaders() {
        configure(Map.of());
        SourceRecord once = smt.apply(titleCreated("1").withSchema());
        SourceRecord twice = once.newRecord(once.topic(), once.kafkaPartition(), once.keySchema(), once.key(),
                TITLES.envelope, titleCreated("1").withSchema().value(), once.timestamp(), once.headers());
        NormalizeChangeEvent<SourceRecord> second = new NormalizeChangeEvent<>();
        second.configure(Map.of());
        SourceRecord out = second.apply(twice);
        assertThat(out.headers()).hasSize(3);
    }

    private static String typeOf(ConnectRecord<?> record) {
        return ((Struct) record.value()).getString("type");
    }

    private static String uuidOf(ConnectRecord<?> record) {
        return ((Struct) record.value()).getString("uuid");
    }

    private static long positionOf(ConnectRecord<?> record) {
        return ((Struct) record.value()).getInt64("position");
    }

    private static long ordinalOf(ConnectRecord<?> record) {
        return ((Struct) record.value()).getInt64("ordinal");
    }

    private String idOf(Change change) {
        return ((Struct) smt.apply(change.withSchema()).value()).getString("id");
    }
}
