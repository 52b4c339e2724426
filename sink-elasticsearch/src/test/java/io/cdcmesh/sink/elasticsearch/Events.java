package io.cdcmesh.sink.elasticsearch;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/** Normalized change events as NormalizeChangeEvent emits them, built by hand for sink tests. */
final class Events {
    static final String TOPIC = "studio.film.titles";
    static final Schema ROW_V1 = row(false);
    static final Schema ROW_V2 = row(true);

    private final Map<Schema, Schema> eventSchemas = new HashMap<>();
    private long offset;

    private static Schema row(boolean withRating) {
        SchemaBuilder row = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("title", Schema.OPTIONAL_STRING_SCHEMA)
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("budget", Decimal.builder(2).optional().build());
        if (withRating) {
            row.field("rating", Schema.OPTIONAL_FLOAT64_SCHEMA);
        }
        return row.build();
    }

    static Struct title(Schema schema, int id, String title, int launchDay, String budget) {
        return new Struct(schema).put("id", id).put("title", title).put("launch_date", launchDay)
                .put("budget", budget == null ? null : new BigDecimal(budget));
    }

    SinkRecord event(String type, Struct before, Struct after, long position) {
        return event("film.titles", type, before, after, position);
    }

    /** As {@link #event(String, Struct, Struct, long)}, of another table. */
    SinkRecord event(String entity, String type, Struct before, Struct after, long position) {
        Struct row = after != null ? after : before;
        Schema rowSchema = row.schema();
        Schema eventSchema = eventSchemas.computeIfAbsent(rowSchema, r -> SchemaBuilder.struct()
                .name("studio.film.titles.ChangeEvent")
                .field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA).field("ts", Schema.INT64_SCHEMA)
                .field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
                .field("position", Schema.INT64_SCHEMA).field("before", r).field("after", r).build());
        String id = Integer.toString(row.getInt32("id"));
        Struct value = new Struct(eventSchema).put("uuid", UUID.randomUUID().toString()).put("type", type)
                .put("ts", System.currentTimeMillis()).put("entity", entity).put("id", id)
                .put("position", position).put("before", before).put("after", after);
        Schema keySchema = SchemaBuilder.struct().name("studio.film.titles.Key").field("id", Schema.INT32_SCHEMA).build();
        return new SinkRecord(TOPIC, 0, keySchema, new Struct(keySchema).put("id", row.getInt32("id")), eventSchema, value,
                offset++);
    }

    /** The same event again, as a redelivery: a new offset, the same contents. */
    SinkRecord again(SinkRecord record) {
        return new SinkRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), offset++);
    }
}
