package io.cdcmesh.transforms.predicates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ChangeTypeIsTest {
    private static final Schema EVENT = SchemaBuilder.struct().field("type", Schema.STRING_SCHEMA).build();

    private static <R extends org.apache.kafka.connect.connector.ConnectRecord<R>> ChangeTypeIs<R> types(String types) {
        ChangeTypeIs<R> p = new ChangeTypeIs<>();
        p.configure(Map.of("types", types));
        return p;
    }

    @Test
    void matchesTheHeaderTypeWithoutReadingTheValue() {
        ChangeTypeIs<SinkRecord> p = types("UPDATE,delete");
        SinkRecord update = new SinkRecord("t", 0, null, null, null, "not an event", 1L);
        update.headers().addString("cdc.type", "UPDATE");
        SinkRecord create = new SinkRecord("t", 0, null, null, null, "not an event", 2L);
        create.headers().addString("cdc.type", "CREATE");
        assertThat(p.test(update)).isTrue();
        assertThat(p.test(create)).isFalse();
    }

    @Test
    void matchesTheValueTypeWithSchema() {
        ChangeTypeIs<SourceRecord> p = types("DELETE");
        assertThat(p.test(new SourceRecord(Map.of(), Map.of(), "t", 0, EVENT, new Struct(EVENT).put("type", "DELETE")))).isTrue();
        assertThat(p.test(new SourceRecord(Map.of(), Map.of(), "t", 0, EVENT, new Struct(EVENT).put("type", "READ")))).isFalse();
    }

    @Test
    void matchesTheValueTypeSchemaless() {
        ChangeTypeIs<SinkRecord> p = types("READ, CREATE");
        assertThat(p.test(new SinkRecord("t", 0, null, null, null, Map.of("type", "READ"), 1L))).isTrue();
        assertThat(p.test(new SinkRecord("t", 0, null, null, null, Map.of("type", "UPDATE"), 1L))).isFalse();
    }

    @Test
    void tombstonesAndNonEventsAreFalse() {
        ChangeTypeIs<SinkRecord> p = types("CREATE,READ,UPDATE,DELETE");
        assertThat(p.test(new SinkRecord("t", 0, null, Map.of("id", 1), null, null, 1L))).isFalse();
        assertThat(p.test(new SinkRecord("t", 0, null, null, Schema.STRING_SCHEMA, "x", 1L))).isFalse();
        assertThat(p.test(new SinkRecord("t", 0, null, null, null, Map.of("op", "c"), 1L))).isFalse();
    }

    @Test
    void tombstoneWithSchemaIsFalse() {
        Schema key = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
        SourceRecord tombstone = new SourceRecord(Map.of(), Map.of(), "t", 0, key, new Struct(key).put("id", 1), null, null);
        assertThat(ChangeTypeIsTest.<SourceRecord>types("DELETE").test(tombstone)).isFalse();
    }

    @Test
    void unknownTypeIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> types("UPDATE,UPSERT"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("types")
                .hasMessageContaining("UPSERT");
        assertThatThrownBy(() -> new ChangeTypeIs<SinkRecord>().configure(Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("types");
    }
}
