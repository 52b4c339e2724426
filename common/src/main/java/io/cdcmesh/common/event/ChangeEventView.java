package io.cdcmesh.common.event;

import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A normalized change event as a sink reads it: the value ({@link Struct}, or a {@link Map} from a schemaless
 * converter) parsed once into typed fields. A record that is not one is refused with a {@link DataException} naming
 * the field and the record's coordinates, never a row value.
 */
public final class ChangeEventView {
    /** What happened to the row. */
    public enum Type { CREATE, READ, UPDATE, DELETE }

    /** The ordinal of an event written by a release before the field existed. */
    public static final long NO_ORDINAL = -1;

    private final SinkRecord record;
    private final String uuid;
    private final Type type;
    private final String entity;
    private final String id;
    private final long ts;
    private final long position;
    private final long ordinal;
    private final Object before;
    private final Object after;

    private ChangeEventView(SinkRecord record, String uuid, Type type, String entity, String id, long ts, long position,
            long ordinal, Object before, Object after) {
        this.record = record;
        this.uuid = uuid;
        this.type = type;
        this.entity = entity;
        this.id = id;
        this.ts = ts;
        this.position = position;
        this.ordinal = ordinal;
        this.before = before;
        this.after = after;
    }

    /**
     * The event {@code record} holds; it must not be a tombstone.
     *
     * @throws DataException naming the missing or bad field if the record is not a normalized change event
     */
    public static ChangeEventView of(SinkRecord record) {
        Object value = record.value();
        if (!(value instanceof Struct) && !(value instanceof Map)) {
            throw new DataException("The record at " + where(record) + " is not a cdc-mesh change event (value is "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + "); apply io.cdcmesh.transforms.NormalizeChangeEvent first");
        }
        Object uuid = field(value, EventFields.UUID);
        if (uuid != null && !(uuid instanceof String)) {
            throw missing(EventFields.UUID, record);
        }
        String typeName = string(value, EventFields.TYPE, record);
        Type type = switch (typeName) {
            case "CREATE" -> Type.CREATE;
            case "READ" -> Type.READ;
            case "UPDATE" -> Type.UPDATE;
            case "DELETE" -> Type.DELETE;
            default -> throw new DataException("Field 'type' of the record at " + where(record) + " is '" + typeName
                    + "', not one of CREATE, READ, UPDATE, DELETE");
        };
        String id = string(value, EventFields.ID, record);
        String entity = string(value, EventFields.ENTITY, record);
        long position = number(value, EventFields.POSITION, record);
        long ts = number(value, EventFields.TS, record);
        Object ordinal = field(value, EventFields.ORDINAL);
        if (ordinal != null && !(ordinal instanceof Number)) {
            throw new DataException("Field '" + EventFields.ORDINAL + "' of the record at " + where(record) + " is not a number");
        }
        return new ChangeEventView(record, (String) uuid, type, entity, id, ts, position,
                ordinal == null ? NO_ORDINAL : ((Number) ordinal).longValue(), field(value, EventFields.BEFORE),
                field(value, EventFields.AFTER));
    }

    /** The source commit time ({@code ts}) of a record's value, or -1 if it has none: for metrics, never refused. */
    public static long commitTs(Object value) {
        return field(value, EventFields.TS) instanceof Number n ? n.longValue() : -1;
    }

    public SinkRecord record() {
        return record;
    }

    /** The event's deterministic uuid; null only if the value lacks the field. */
    public String uuid() {
        return uuid;
    }

    /** The uuid, which a sink that keys on it requires. */
    public String requireUuid() {
        if (uuid == null) {
            throw missing(EventFields.UUID, record);
        }
        return uuid;
    }

    public Type type() {
        return type;
    }

    public String entity() {
        return entity;
    }

    public EntityName entityName() {
        return EntityName.of(entity);
    }

    /** The primary key as one canonical string. */
    public String id() {
        return id;
    }

    public long ts() {
        return ts;
    }

    public long position() {
        return position;
    }

    /** The event's place among those sharing its position ({@link #NO_ORDINAL} if an older release wrote it). */
    public long ordinal() {
        return ordinal;
    }

    /** The row before the change: a Struct, a Map, or null. */
    public Object before() {
        return before;
    }

    /** The row after the change: a Struct, a Map, or null (a DELETE). */
    public Object after() {
        return after;
    }

    /** A record's coordinates as the worker consumed it, for messages. */
    public static String where(SinkRecord record) {
        return record.originalTopic() + "-" + record.originalKafkaPartition() + "@" + record.originalKafkaOffset();
    }

    private static Object field(Object value, String name) {
        if (value instanceof Struct struct) {
            Field f = struct.schema().field(name);
            return f == null ? null : struct.get(f);
        }
        return value instanceof Map<?, ?> map ? map.get(name) : null;
    }

    private static String string(Object value, String name, SinkRecord record) {
        if (field(value, name) instanceof String s) {
            return s;
        }
        throw missing(name, record);
    }

    private static long number(Object value, String name, SinkRecord record) {
        if (field(value, name) instanceof Number n) {
            return n.longValue();
        }
        throw missing(name, record);
    }

    private static DataException missing(String field, SinkRecord record) {
        return new DataException("The record at " + where(record) + " is not a cdc-mesh change event: field '" + field
                + "' is missing or of the wrong type (apply io.cdcmesh.transforms.NormalizeChangeEvent first)");
    }
}
