package io.cdcmesh.transforms;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;

/**
 * What {@link NormalizeChangeEvent} derives once per envelope schema: the output schema and the field
 * handles it reads and writes, so that a record whose schema was seen before costs no schema work.
 */
final class Plan {
    static final Plan NOT_A_ROW_CHANGE = new Plan();

    final Schema envelope;
    final Schema schema;
    final Field op;
    final Field source;
    final Field before;
    final Field after;
    final Field db;
    final Field table;
    final Field serverId;
    final Field file;
    final Field pos;
    final Field row;
    final Field tsMs;
    final Field connector;
    final Field transaction;
    final Field totalOrder;
    final Field outUuid;
    final Field outType;
    final Field outTs;
    final Field outEntity;
    final Field outId;
    final Field outPosition;
    final Field outOrdinal;
    final Field outBefore;
    final Field outAfter;
    /** How before and after leave the transform; null where they pass through unchanged. */
    final RowShape beforeShape;
    final RowShape afterShape;

    private Plan() {
        envelope = schema = null;
        op = source = before = after = db = table = serverId = file = pos = row = tsMs = null;
        connector = transaction = totalOrder = null;
        outUuid = outType = outTs = outEntity = outId = outPosition = outOrdinal = outBefore = outAfter = null;
        beforeShape = afterShape = null;
    }

    private Plan(Schema envelope, Schema sourceSchema, boolean logicalTemporal) {
        this.envelope = envelope;
        this.op = envelope.field("op");
        this.source = envelope.field("source");
        this.before = envelope.field(ChangeEvent.BEFORE);
        this.after = envelope.field(ChangeEvent.AFTER);
        this.db = sourceSchema.field("db");
        this.table = sourceSchema.field("table");
        this.serverId = sourceSchema.field("server_id");
        this.file = sourceSchema.field("file");
        this.pos = sourceSchema.field("pos");
        this.row = sourceSchema.field("row");
        this.tsMs = sourceSchema.field("ts_ms");
        this.connector = sourceSchema.field("connector");
        Field tx = envelope.field("transaction");
        this.transaction = tx != null && tx.schema().type() == Schema.Type.STRUCT ? tx : null;
        this.totalOrder = transaction == null ? null : transaction.schema().field("total_order");
        Schema beforeSchema = (before != null ? before : after).schema();
        Schema afterSchema = (after != null ? after : before).schema();
        this.beforeShape = RowShape.of(beforeSchema, logicalTemporal);
        this.afterShape = afterSchema == beforeSchema ? beforeShape : RowShape.of(afterSchema, logicalTemporal);
        this.schema = SchemaBuilder.struct()
                .name(AvroNames.sanitize(NormalizeChangeEvent.schemaName(envelope.name(), ".ChangeEvent")))
                .doc("cdc-mesh normalized change event")
                .field(ChangeEvent.UUID, Schema.STRING_SCHEMA)
                .field(ChangeEvent.TYPE, Schema.STRING_SCHEMA)
                .field(ChangeEvent.TS, Schema.INT64_SCHEMA)
                .field(ChangeEvent.ENTITY, Schema.STRING_SCHEMA)
                .field(ChangeEvent.ID, Schema.STRING_SCHEMA)
                .field(ChangeEvent.POSITION, Schema.INT64_SCHEMA)
                // Optional, so a schema registry takes it as a compatible addition to schemas of older releases.
                .field(ChangeEvent.ORDINAL, Schema.OPTIONAL_INT64_SCHEMA)
                .field(ChangeEvent.BEFORE, beforeShape != null ? beforeShape.schema() : beforeSchema)
                .field(ChangeEvent.AFTER, afterShape != null ? afterShape.schema() : afterSchema)
                .build();
        this.outUuid = schema.field(ChangeEvent.UUID);
        this.outType = schema.field(ChangeEvent.TYPE);
        this.outTs = schema.field(ChangeEvent.TS);
        this.outEntity = schema.field(ChangeEvent.ENTITY);
        this.outId = schema.field(ChangeEvent.ID);
        this.outPosition = schema.field(ChangeEvent.POSITION);
        this.outOrdinal = schema.field(ChangeEvent.ORDINAL);
        this.outBefore = schema.field(ChangeEvent.BEFORE);
        this.outAfter = schema.field(ChangeEvent.AFTER);
    }

    Struct before(Struct row) {
        return beforeShape == null ? row : beforeShape.apply(row);
    }

    Struct after(Struct row) {
        return afterShape == null ? row : afterShape.apply(row);
    }

    /** A plan for a Debezium envelope schema, or {@link #NOT_A_ROW_CHANGE} for anything else. */
    static Plan of(Schema envelope, boolean logicalTemporal) {
        if (envelope.type() != Schema.Type.STRUCT || envelope.field("op") == null || envelope.field("source") == null
                || envelope.field("source").schema().type() != Schema.Type.STRUCT
                || (envelope.field(ChangeEvent.BEFORE) == null && envelope.field(ChangeEvent.AFTER) == null)) {
            return NOT_A_ROW_CHANGE;
        }
        return new Plan(envelope, envelope.field("source").schema(), logicalTemporal);
    }
}
