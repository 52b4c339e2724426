package io.cdcmesh.common.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class ChangeEventViewTest {
    private static final Schema ROW = SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).build();
    private static final Schema EVENT = SchemaBuilder.struct()
            .field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA).field("ts", Schema.INT64_SCHEMA)
            .field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA).field("position", Schema.INT64_SCHEMA)
            .field("before", SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).optional().build())
            .field("after", SchemaBuilder.struct().field("id", Schema.INT32_SCHEMA).optional().build()).build();

    private static SinkRecord record(Object value) {
        return new SinkRecord("cdc.shop.orders", 1, null, null, null, value, 17);
    }

    @Test
    void aStructEventIsReadOnceIntoTypedFields() {
        Struct after = new Struct(EVENT.field("after").schema()).put("id", 7);
        Struct value = new Struct(EVENT).put("uuid", "u-1").put("type", "UPDATE").put("ts", 1_700_000_000_000L)
                .put("entity", "shop.orders").put("id", "7").put("position", 42L).put("after", after);
        ChangeEventView event = ChangeEventView.of(record(value));
        assertThat(event.uuid()).isEqualTo("u-1");
        assertThat(event.type()).isEqualTo(ChangeEventView.Type.UPDATE);
        assertThat(event.entityName()).isEqualTo(new EntityName("shop", "orders"));
        assertThat(event.id()).isEqualTo("7");
        assertThat(event.ts()).isEqualTo(1_700_000_000_000L);
        assertThat(event.position()).isEqualTo(42L);
        assertThat(event.before()).isNull();
        assertThat(event.after()).isSameAs(after);
    }

    @Test
    void aSchemalessEventReadsTheSame() {
        Map<String, Object> value = new HashMap<>(Map.of("uuid", "u-2", "type", "DELETE", "ts", 5, "entity", "orders", "id", "9",
                "position", 3));
        value.put("before", Map.of("id", 9));
        ChangeEventView event = ChangeEventView.of(record(value));
        assertThat(event.type()).isEqualTo(ChangeEventView.Type.DELETE);
        assertThat(event.position()).isEqualTo(3L);
        assertThat(event.entityName()).as("an entity without a dot is a table").isEqualTo(new EntityName("", "orders"));
        assertThat(event.before()).isEqualTo(Map.of("id", 9));
    }

    @Test
    void aRecordThatIsNotAnEventIsRefusedNamingTheFieldAndWhereItWas() {
        assertThatThrownBy(() -> ChangeEventView.of(record(Map.of("type", "CREATE", "entity", "shop.orders"))))
                .isInstanceOf(DataException.class).hasMessageContaining("field 'id'").hasMessageContaining("cdc.shop.orders-1@17");
        assertThatThrownBy(() -> ChangeEventView.of(record(Map.of("type", "MERGE", "entity", "e", "id", "1", "ts", 1, "position", 1))))
                .isInstanceOf(DataException.class).hasMessageContaining("'MERGE'");
        assertThatThrownBy(() -> ChangeEventView.of(record("text"))).isInstanceOf(DataException.class).hasMessageContaining("String");
        ChangeEventView noUuid = ChangeEventView.of(record(Map.of("type", "READ", "entity", "e", "id", "1", "ts", 1, "position", 1)));
        assertThatThrownBy(noUuid::requireUuid).isInstanceOf(DataException.class).hasMessageContaining("field 'uuid'");
    }

    @Test
    void entityNamesSplitAtTheFirstDot() {
        assertThat(EntityName.of("shop.a.b")).isEqualTo(new EntityName("shop", "a.b"));
        assertThat(EntityName.of("orders")).isEqualTo(new EntityName("", "orders"));
    }
}
