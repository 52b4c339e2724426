package io.cdcmesh.transforms;

import static io.cdcmesh.transforms.DebeziumRecords.launchDateMoved;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.benmanes.caffeine.cache.Ticker;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class DropDuplicatesTest {
    private final AtomicLong nanos = new AtomicLong();
    private final Ticker ticker = nanos::get;
    private final NormalizeChangeEvent<SourceRecord> normalize = new NormalizeChangeEvent<>();
    private final NormalizeChangeEvent<SinkRecord> normalizeSink = new NormalizeChangeEvent<>();

    DropDuplicatesTest() {
        normalize.configure(Map.of());
        normalizeSink.configure(Map.of());
    }

    private <R extends org.apache.kafka.connect.connector.ConnectRecord<R>> DropDuplicates<R> dedupe(Map<String, Object> props) {
        DropDuplicates<R> d = new DropDuplicates<>(ticker);
        d.configure(props);
        return d;
    }

    @Test
    void replayedEventWithSchemaIsDroppedWithinTtl() {
        DropDuplicates<SourceRecord> d = dedupe(Map.of("ttl.ms", 60_000L));
        DebeziumRecords.Change change = launchDateMoved(1, 2);
        SourceRecord event = normalize.apply(change.withSchema());
        NormalizeChangeEvent<SourceRecord> rereadingTask = new NormalizeChangeEvent<>();
        rereadingTask.configure(Map.of());
        SourceRecord replay = rereadingTask.apply(change.withSchema());
        SourceRecord other = normalize.apply(launchDateMoved(1, 2).withSchema());
        assertThat(d.apply(event)).isSameAs(event);
        assertThat(d.apply(replay)).isNull();
        assertThat(d.apply(other)).isSameAs(other);
    }

    @Test
    void schemalessReplayIsDroppedWithinTtl() {
        DropDuplicates<SinkRecord> d = dedupe(Map.of());
        DebeziumRecords.Change change = launchDateMoved(1, 2);
        SinkRecord event = normalizeSink.apply(change.schemaless());
        assertThat(d.apply(event)).isSameAs(event);
        assertThat(d.apply(normalizeSink.apply(change.schemaless()))).isNull();
    }

    @Test
    void uuidIsReadFromTheValueWhenTheHeaderIsAbsent() {
        DropDuplicates<SinkRecord> d = dedupe(Map.of());
        Map<String, Object> value = new HashMap<>();
        value.put("uuid", "0b1c7b2e-4f43-5b44-9d0e-6c1d7f2a9e10");
        value.put("type", "UPDATE");
        SinkRecord first = new SinkRecord("t", 0, null, null, null, value, 1L);
        SinkRecord second = new SinkRecord("t", 0, null, null, null, new HashMap<>(value), 2L);
        assertThat(first.headers().isEmpty()).isTrue();
        assertThat(d.apply(first)).isSameAs(first);
        assertThat(d.apply(second)).isNull();

        Schema schema = SchemaBuilder.struct().field("uuid", Schema.STRING_SCHEMA).build();
        SinkRecord withSchema = new SinkRecord("t", 0, null, null, schema, new Struct(schema).put("uuid", value.get("uuid")), 3L);
        assertThat(d.apply(withSchema)).isNull();
    }

    @Test
    void replayAfterTtlPassesAgain() {
        DropDuplicates<SourceRecord> d = dedupe(Map.of("ttl.ms", 1_000L));
        SourceRecord event = normalize.apply(launchDateMoved(1, 2).withSchema());
        assertThat(d.apply(event)).isSameAs(event);
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        assertThat(d.apply(event)).isNull();
        nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
        assertThat(d.apply(event)).isSameAs(event);
    }

    @Test
    void rememberedUuidsStayWithinMaxEntries() {
        DropDuplicates<SourceRecord> d = dedupe(Map.of("max.entries", 100L));
        for (int i = 0; i < 1_000; i++) {
            SourceRecord event = normalize.apply(launchDateMoved(1, 2).at("mysql-bin.000003", 1_000 + 10L * i, 0).withSchema());
            assertThat(d.apply(event)).isSameAs(event);
        }
        assertThat(d.remembered()).isLessThanOrEqualTo(100);
    }

    @Test
    void tombstonesPassUnchanged() {
        DropDuplicates<SinkRecord> d = dedupe(Map.of());
        SinkRecord tombstone = new SinkRecord("t", 0, null, Map.of("id", "1"), null, null, 1L);
        assertThat(d.apply(tombstone)).isSameAs(tombstone);
        assertThat(d.apply(tombstone)).isSameAs(tombstone);
        SourceRecord withSchema = new SourceRecord(Map.of(), Map.of(), "t", 0, Schema.STRING_SCHEMA, "1", null, null);
        assertThat(this.<SourceRecord>dedupe(Map.of()).apply(withSchema)).isSameAs(withSchema);
    }

    @Test
    void eventWithoutUuidIsRejectedNamingTheField() {
        DropDuplicates<SinkRecord> d = dedupe(Map.of());
        SinkRecord raw = launchDateMoved(1, 2).schemaless();
        assertThatThrownBy(() -> d.apply(raw)).isInstanceOf(DataException.class).hasMessageContaining("uuid");
    }

    @Test
    void invalidSizesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> dedupe(Map.of("max.entries", 0L))).isInstanceOf(ConfigException.class).hasMessageContaining("max.entries");
        assertThatThrownBy(() -> dedupe(Map.of("ttl.ms", -5L))).isInstanceOf(ConfigException.class).hasMessageContaining("ttl.ms");
    }
}
