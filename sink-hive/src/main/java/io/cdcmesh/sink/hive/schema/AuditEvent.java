package io.cdcmesh.sink.hive.schema;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One normalized change event as an audit row: the event's own fields, its Kafka coordinates, and the before and
 * after row images as {@code before_<column>} / {@code after_<column>} values.
 *
 * <p>Values are kept as the record holds them (no copy, no text form) with their {@link HiveTypes.Kind}; each data
 * format renders them once, straight into what it writes. Columns are numbered in one space: the
 * {@link #EVENT_COLUMNS} first, then the slots of the {@link #plan()}.
 */
public final class AuditEvent {
    /** The columns every audit table starts with, in order. */
    public static final List<AuditColumn> EVENT_COLUMNS = List.of(
            new AuditColumn("uuid", "STRING"),
            new AuditColumn("type", "STRING"),
            new AuditColumn("entity", "STRING"),
            new AuditColumn("id", "STRING"),
            new AuditColumn("ts", "BIGINT"),
            new AuditColumn("commit_time", "TIMESTAMP"),
            new AuditColumn("position", "BIGINT"),
            new AuditColumn("kafka_topic", "STRING"),
            new AuditColumn("kafka_partition", "INT"),
            new AuditColumn("kafka_offset", "BIGINT"));

    private static final int EVENTS = EVENT_COLUMNS.size();
    private static final HiveTypes.Kind[] EVENT_KINDS = new HiveTypes.Kind[EVENTS];

    static {
        java.util.Arrays.fill(EVENT_KINDS, HiveTypes.Kind.OTHER);
        EVENT_KINDS[5] = HiveTypes.Kind.MILLI_TIMESTAMP;
    }

    private final SinkRecord record;
    private final String uuid;
    private final String type;
    private final String entity;
    private final String id;
    private final long ts;
    private final long position;
    private final ImagePlan plan;
    private final Object before;
    private final Object after;

    private AuditEvent(SinkRecord record, String uuid, String type, String entity, String id, long ts, long position,
            ImagePlan plan, Object before, Object after) {
        this.record = record;
        this.uuid = uuid;
        this.type = type;
        this.entity = entity;
        this.id = id;
        this.ts = ts;
        this.position = position;
        this.plan = plan;
        this.before = before;
        this.after = after;
    }

    /**
     * The audit row of a normalized change event.
     *
     * @throws DataException naming the field or column if the record is not one, or a column name can't be a Hive column
     */
    public static AuditEvent of(SinkRecord record) {
        Object value = record.value();
        if (!(value instanceof Struct) && !(value instanceof Map)) {
            throw new DataException("The record at " + where(record) + " is not a cdc-mesh change event (value is "
                    + (value == null ? "null" : value.getClass().getSimpleName()) + "); apply io.cdcmesh.transforms.NormalizeChangeEvent first");
        }
        String uuid = string(value, "uuid", record);
        String type = string(value, "type", record);
        switch (type) {
            case "CREATE", "READ", "UPDATE", "DELETE" -> { }
            default -> throw new DataException("Field 'type' of the record at " + where(record) + " is '" + type
                    + "', not one of CREATE, READ, UPDATE, DELETE");
        }
        String entity = string(value, "entity", record);
        String id = string(value, "id", record);
        long ts = number(value, "ts", record);
        long position = number(value, "position", record);
        Object before = field(value, "before");
        Object after = field(value, "after");
        ImagePlan plan;
        if (after instanceof Struct a) {
            plan = ImagePlan.of(a.schema(), entity);
        } else if (before instanceof Struct b) {
            plan = ImagePlan.of(b.schema(), entity);
        } else {
            plan = ImagePlan.ofMaps(before instanceof Map<?, ?> m ? m : null, after instanceof Map<?, ?> m ? m : null, entity);
        }
        plan.checkFits(before, entity);
        plan.checkFits(after, entity);
        return new AuditEvent(record, uuid, type, entity, id, ts, position, plan, before, after);
    }

    public SinkRecord record() {
        return record;
    }

    public String uuid() {
        return uuid;
    }

    public String type() {
        return type;
    }

    public String entity() {
        return entity;
    }

    public long ts() {
        return ts;
    }

    public long position() {
        return position;
    }

    public long offset() {
        return record.kafkaOffset();
    }

    /** {@code before_*} and {@code after_*} columns this event has, with the Hive types of its schema. */
    public List<AuditColumn> imageColumns() {
        return plan.columns();
    }

    /** The plan of this event's images; events of one schema share it. */
    public ImagePlan plan() {
        return plan;
    }

    /** The index in {@link #raw}'s numbering of a table column, or -1 if this event has no such column. */
    public int index(int eventColumn, String imageColumn) {
        if (imageColumn == null) {
            return eventColumn;
        }
        int slot = plan.slot(imageColumn);
        return slot < 0 ? -1 : EVENTS + slot;
    }

    /** The value of column {@code index} (see {@link #index}), as the record holds it, or null. */
    public Object raw(int index) {
        if (index >= EVENTS) {
            int slot = index - EVENTS;
            return plan.value((slot & 1) == 0 ? before : after, slot >> 1);
        }
        return switch (index) {
            case 0 -> uuid;
            case 1 -> type;
            case 2 -> entity;
            case 3 -> id;
            case 4, 5 -> ts;
            case 6 -> position;
            case 7 -> record.topic();
            case 8 -> record.kafkaPartition();
            case 9 -> record.kafkaOffset();
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    /** How the value of column {@code index} is rendered. */
    public HiveTypes.Kind kind(int index) {
        return index >= EVENTS ? plan.kind((index - EVENTS) >> 1) : EVENT_KINDS[index];
    }

    /** The value of column {@code index} in Hive's text form, or null. */
    public String text(int index) {
        return HiveTypes.text(kind(index), raw(index));
    }

    public static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    private static Object field(Object value, String name) {
        if (value instanceof Struct struct) {
            Field f = struct.schema().field(name);
            return f == null ? null : struct.get(f);
        }
        return ((Map<?, ?>) value).get(name);
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
