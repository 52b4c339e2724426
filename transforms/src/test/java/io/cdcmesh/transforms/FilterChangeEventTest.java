package io.cdcmesh.transforms;

import static io.cdcmesh.transforms.DebeziumRecords.TITLES;
import static io.cdcmesh.transforms.DebeziumRecords.launchDateMoved;
import static io.cdcmesh.transforms.DebeziumRecords.titleCreated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.transforms.DebeziumRecords.Change;
import java.math.BigDecimal;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class FilterChangeEventTest {
    private static final String LAUNCH_MOVED = "type == 'UPDATE' && before.launch_date != after.launch_date";

    private final NormalizeChangeEvent<SourceRecord> normalize = configured(new NormalizeChangeEvent<>(), Map.of());
    private final NormalizeChangeEvent<SinkRecord> normalizeSink = configured(new NormalizeChangeEvent<>(), Map.of());

    private static <T extends org.apache.kafka.connect.transforms.Transformation<?>> T configured(T t, Map<String, String> props) {
        t.configure(props);
        return t;
    }

    private FilterChangeEvent<SourceRecord> filter(Map<String, String> props) {
        return configured(new FilterChangeEvent<>(), props);
    }

    private FilterChangeEvent<SinkRecord> sinkFilter(Map<String, String> props) {
        return configured(new FilterChangeEvent<>(), props);
    }

    @Test
    void keepsUpdatesThatMoveTheLaunchDateWithSchema() {
        FilterChangeEvent<SourceRecord> f = filter(Map.of("condition", LAUNCH_MOVED));
        SourceRecord moved = normalize.apply(launchDateMoved(20_270, 20_240).withSchema());
        SourceRecord unchanged = normalize.apply(launchDateMoved(20_270, 20_270).withSchema());
        SourceRecord created = normalize.apply(titleCreated("9").withSchema());
        assertThat(f.apply(moved)).isSameAs(moved);
        assertThat(f.apply(unchanged)).isNull();
        assertThat(f.apply(created)).as("CREATE has no before image; && short-circuits without an error").isNull();
    }

    @Test
    void keepsUpdatesThatMoveTheLaunchDateSchemaless() {
        FilterChangeEvent<SinkRecord> f = sinkFilter(Map.of("condition", LAUNCH_MOVED));
        SinkRecord moved = normalizeSink.apply(launchDateMoved(20_270, 20_240).schemaless());
        SinkRecord unchanged = normalizeSink.apply(launchDateMoved(20_270, 20_270).schemaless());
        assertThat(f.apply(moved)).isSameAs(moved);
        assertThat(f.apply(unchanged)).isNull();
    }

    @Test
    void dropActionDropsMatchingEventsAndKeepsTheRest() {
        FilterChangeEvent<SourceRecord> f = filter(Map.of("condition", "entity == 'film.titles' && type == 'READ'", "action", "drop"));
        SourceRecord snapshot = normalize.apply(titleCreated("1").op("r").withSchema());
        SourceRecord create = normalize.apply(titleCreated("1").withSchema());
        assertThat(f.apply(snapshot)).isNull();
        assertThat(f.apply(create)).isSameAs(create);
    }

    @Test
    void conditionCanReadIdUuidTsPositionAndNullImages() {
        SourceRecord delete = normalize.apply(new Change(TITLES).op("d").key("id", "7").before("id", "7").withSchema());
        assertThat(filter(Map.of("condition", "id == '7' && after == null && before != null")).apply(delete)).isSameAs(delete);
        assertThat(filter(Map.of("condition", "position > 0 && ts > 1000 && size(uuid) == 36")).apply(delete)).isSameAs(delete);
    }

    @Test
    void decimalsCompareWithNumbers() {
        Schema row = SchemaBuilder.struct().name("studio.film.budgets.Value").optional()
                .field("id", Schema.STRING_SCHEMA).field("amount", Decimal.builder(2).optional().build()).build();
        Schema envelope = SchemaBuilder.struct().name("studio.film.budgets.Envelope")
                .field("before", row).field("after", row).field("source", DebeziumRecords.SOURCE)
                .field("op", Schema.STRING_SCHEMA).build();
        Struct source = titleCreated("1").sourceStruct().put("table", "budgets");
        Struct after = new Struct(row).put("id", "b1").put("amount", new BigDecimal("1500000.50"));
        Schema keySchema = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
        SourceRecord record = normalize.apply(new SourceRecord(Map.of(), Map.of(), "t", 0, keySchema,
                new Struct(keySchema).put("id", "b1"), envelope,
                new Struct(envelope).put("after", after).put("source", source).put("op", "c")));
        assertThat(filter(Map.of("condition", "after.amount > 1000000")).apply(record)).isSameAs(record);
        assertThat(filter(Map.of("condition", "after.amount > 2000000.0")).apply(record)).isNull();
    }

    @Test
    void conditionThatDoesNotCompileIsRefusedNamingTheKeyAndCelsError() {
        assertThatThrownBy(() -> filter(Map.of("condition", "type == ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("condition")
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> filter(Map.of("condition", "no_such_var == 1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("condition")
                .hasMessageContaining("no_such_var");
        assertThatThrownBy(() -> filter(Map.of("condition", "type")))
                .as("a condition must be a bool")
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("condition");
    }

    @Test
    void missingConditionIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> filter(Map.of())).isInstanceOf(ConfigException.class).hasMessageContaining("condition");
        assertThatThrownBy(() -> filter(Map.of("condition", "true", "action", "maybe")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("action");
    }

    @Test
    void evaluationErrorFollowsOnError() {
        SourceRecord created = normalize.apply(titleCreated("9").withSchema());
        String readsMissingColumn = "after.no_such_column == 1";
        assertThatThrownBy(() -> filter(Map.of("condition", readsMissingColumn)).apply(created))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("condition")
                .hasMessageContaining(readsMissingColumn);
        assertThat(filter(Map.of("condition", readsMissingColumn, "on.error", "keep")).apply(created)).isSameAs(created);
        assertThat(filter(Map.of("condition", readsMissingColumn, "on.error", "drop")).apply(created)).isNull();
    }

    @Test
    void tombstonesPassUnchangedWithAndWithoutSchema() {
        SourceRecord withSchema = new SourceRecord(Map.of(), Map.of(), "t", 0, TITLES.keySchema,
                new Struct(TITLES.keySchema).put("id", "7"), null, null);
        SinkRecord schemaless = new SinkRecord("t", 0, null, Map.of("id", "7"), null, null, 1L);
        assertThat(filter(Map.of("condition", "false")).apply(withSchema)).isSameAs(withSchema);
        assertThat(sinkFilter(Map.of("condition", "false")).apply(schemaless)).isSameAs(schemaless);
    }

    @Test
    void rawDebeziumEventIsRejectedAsNotNormalized() {
        SourceRecord raw = launchDateMoved(1, 2).withSchema();
        assertThatThrownBy(() -> filter(Map.of("condition", "true")).apply(raw))
                .isInstanceOf(DataException.class)
                .hasMessageContaining("NormalizeChangeEvent");
    }
}
