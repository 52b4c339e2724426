package io.cdcmesh.sink.hive.schema;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    private final List<AuditColumn> imageColumns;
    private final Map<String, String> values;

    private AuditEvent(SinkRecord record, String uuid, String type, String entity, String id, long ts, long position,
            List<AuditColumn> imageColumns, Map<String, String> values) {
        this.record = record;
        this.uuid = uuid;
        this.type = type;
        this.entity = entity;
        this.id = id;
        this.ts = ts;
        this.position = position;
        this.imageColumns = imageColumns;
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
        if (!List.of("CREATE", "READ", "UPDATE", "DELETE").contains(type)) {
            throw new DataException("Field 'type' of the record at " + where(record) + " is '" + type
                    + "', not one of CREATE, READ, UPDATE, DELETE");
        }
        String entity = string(value, "entity", record);
        String id = string(value, "id", record);
        long ts = number(value, "ts", record);
        long position = number(value, "position", record);
        Map<String, AuditColumn> columns = new LinkedHashMap<>();
        Map<String, String> values = new LinkedHashMap<>();
        Object before = field(value, "before");
        Object after = field(value, "after");
        // Column order: before_c, after_c per source column, in the order of the image that has them.
        for (String name : columnNames(before, after)) {
            String column = HiveNames.column(name);
            for (String side : List.of("before", "after")) {
                Object image = "before".equals(side) ? before : after;
                Schema schema = schemaOf(before, after, name);
                AuditColumn auditColumn = new AuditColumn(side + "_" + column, HiveTypes.of(schema));
                if (columns.putIfAbsent(auditColumn.name(), auditColumn) != null) {
                    throw new DataException("Columns of entity '" + entity + "' collide in Hive, which ignores case: '" + name
                            + "' and another column both become " + auditColumn.name());
                }
                values.put(auditColumn.name(), HiveTypes.text(schema, valueOf(image, name)));
            }
        }
        return new AuditEvent(record, uuid, type, entity, id, ts, position, new ArrayList<>(columns.values()), values);
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
        return imageColumns;
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
            default -> values.get(column);
        };
    }

    public static String where(SinkRecord record) {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }

    private static List<String> columnNames(Object before, Object after) {
        List<String> names = new ArrayList<>();
        for (Object image : new Object[] {after, before}) {
            if (image instanceof Struct struct) {
                struct.schema().fields().forEach(f -> addOnce(names, f.name()));
            } else if (image instanceof Map<?, ?> map) {
                map.keySet().forEach(k -> addOnce(names, String.valueOf(k)));
            }
        }
        return names;
    }

    private static void addOnce(List<String> names, String name) {
        if (!names.contains(name)) {
            names.add(name);
        }
    }

    private static Schema schemaOf(Object before, Object after, String name) {
        for (Object image : new Object[] {after, before}) {
            if (image instanceof Struct struct) {
                Field field = struct.schema().field(name);
                if (field != null) {
                    return field.schema();
                }
            }
        }
        return null;
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
