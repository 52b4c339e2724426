package io.cdcmesh.sink.hive.schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One normalized change event as an audit row: the event's own fields, its Kafka coordinates, and the before and
 * after row images as {@code before_<column>} / {@code after_<column>} values in Hive's text form.
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

    private final SinkRecord record;
    private final String uuid;
    private final String type;
    private final String entity;
    private final String id;
    private final long ts;
    private final long position;
    private final ImagePlan plan;
    private final String[] values;

    private AuditEvent(SinkRecord record, String uuid, String type, String entity, String id, long ts, long position,
            ImagePlan plan, String[] values) {
        this.record = record;
        this.uuid = uuid;
        this.type = type;
        this.entity = entity;
        this.id = id;
        this.ts = ts;
        this.position = position;
        this.plan = plan;
        this.values = values;
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
        String[] values = new String[plan.columns().size()];
        for (int i = 0; i < plan.sourceColumns(); i++) {
            HiveTypes.Kind kind = plan.kind(i);
            values[2 * i] = HiveTypes.text(kind, valueOf(before, plan.sourceName(i)));
            values[2 * i + 1] = HiveTypes.text(kind, valueOf(after, plan.sourceName(i)));
        }
        return new AuditEvent(record, uuid, type, entity, id, ts, position, plan, values);
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

    /** The value of the image column in {@code slot} of {@link #plan()}, in Hive's text form, or null. */
    public String imageValue(int slot) {
        return values[slot];
    }

    /** The value of the event column at {@code index} of {@link #EVENT_COLUMNS}, in Hive's text form. */
    public String eventValue(int index) {
        return switch (index) {
            case 0 -> uuid;
            case 1 -> type;
            case 2 -> entity;
            case 3 -> id;
            case 4 -> Long.toString(ts);
            case 5 -> HiveTypes.timestamp(Instant.ofEpochMilli(ts));
            case 6 -> Long.toString(position);
            case 7 -> record.topic();
            case 8 -> Integer.toString(record.kafkaPartition());
            case 9 -> Long.toString(record.kafkaOffset());
            default -> throw new IndexOutOfBoundsException(index);
        };
    }

    /** The value of {@code column} in Hive's text form, or null. */
    public String value(String column) {
        return switch (column) {
            case "uuid" -> uuid;
            case "type" -> type;
            case "entity" -> entity;
            case "id" -> id;
            case "ts" -> Long.toString(ts);
            case "commit_time" -> HiveTypes.timestamp(Instant.ofEpochMilli(ts));
            case "position" -> Long.toString(position);
            case "kafka_topic" -> record.topic();
            case "kafka_partition" -> Integer.toString(record.kafkaPartition());
            case "kafka_offset" -> Long.toString(record.kafkaOffset());
            default -> {
                int slot = plan.slot(column);
                yield slot < 0 ? null : values[slot];
            }
        };
    }

    public static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    private static Object valueOf(Object image, String name) {
        if (image instanceof Struct struct) {
            Field field = struct.schema().field(name);
            return field == null ? null : struct.get(field);
        }
        if (image instanceof Map<?, ?> map) {
            return map.get(name);
        }
        return null;
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
