package io.cdcmesh.sink.hive;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/** Normalized change events as NormalizeChangeEvent emits them, built by hand for the Hive sink's tests. */
final class AuditEvents {
    static final Schema ROW_V1 = row(false);
    static final Schema ROW_V2 = row(true);

    private final String topic;
    private final String entity;
    private final Map<Schema, Schema> eventSchemas = new HashMap<>();
    private long offset;

    AuditEvents(String topic, String entity) {
        this.topic = topic;
        this.entity = entity;
    }

    private static Schema row(boolean withRating) {
        SchemaBuilder row = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("title", Schema.OPTIONAL_STRING_SCHEMA)
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("budget", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build());
        if (withRating) {
            row.field("rating", Schema.OPTIONAL_FLOAT64_SCHEMA);
        }
        return row.build();
    }

    static Struct title(Schema schema, int id, String title, int launchDay, String budget) {
        return new Struct(schema).put("id", id).put("title", title).put("launch_date", launchDay)
                .put("budget", budget == null ? null : new BigDecimal(budget));
    }

    /** An event without an ordinal (as releases before it wrote them), with a fresh uuid, at the next offset of partition 0. */
    SinkRecord event(String type, Struct before, Struct after, long position, long ts) {
        return event(type, before, after, position, null, ts);
    }

    /** An event with a fresh uuid, committed at {@code ts}, at the next offset of partition 0. */
    SinkRecord event(String type, Struct before, Struct after, long position, Long ordinal, long ts) {
        Struct row = after != null ? after : before;
        Schema rowSchema = row.schema();
        Schema eventSchema = eventSchemas.computeIfAbsent(rowSchema, r -> SchemaBuilder.struct()
                .name("studio.film.titles.ChangeEvent")
                .field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA).field("ts", Schema.INT64_SCHEMA)
                .field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
                .field("position", Schema.INT64_SCHEMA).field("ordinal", Schema.OPTIONAL_INT64_SCHEMA)
                .field("before", r).field("after", r).build());
        Struct value = new Struct(eventSchema).put("uuid", UUID.randomUUID().toString()).put("type", type)
                .put("ts", ts).put("entity", entity).put("id", Integer.toString(row.getInt32("id")))
                .put("position", position).put("ordinal", ordinal).put("before", before).put("after", after);
        return new SinkRecord(topic, 0, null, null, eventSchema, value, offset++);
    }

    /** The same event at the next offset, as Debezium replays events after its own restart. */
    SinkRecord replay(SinkRecord record) {
        return new SinkRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), offset++);
    }

    static String uuid(SinkRecord record) {
        return ((Struct) record.value()).getString("uuid");
    }
}
