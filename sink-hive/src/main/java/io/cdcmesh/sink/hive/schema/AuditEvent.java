package io.cdcmesh.sink.hive.schema;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.common.event.EntityName;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
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
        Arrays.fill(EVENT_KINDS, HiveTypes.Kind.OTHER);
        EVENT_KINDS[5] = HiveTypes.Kind.MILLI_TIMESTAMP;
    }

    private final ChangeEventView event;
    private final ImagePlan plan;

    private AuditEvent(ChangeEventView event, ImagePlan plan) {
        this.event = event;
        this.plan = plan;
    }

    /**
     * The audit row of a normalized change event.
     *
     * @throws DataException naming the field or column if the record is not one, or a column name can't be a Hive column
     */
    public static AuditEvent of(SinkRecord record) {
        ChangeEventView event = ChangeEventView.of(record);
        event.requireUuid();
        String entity = event.entity();
        Object before = event.before();
        Object after = event.after();
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
        return new AuditEvent(event, plan);
    }

    public SinkRecord record() {
        return event.record();
    }

    public String uuid() {
        return event.uuid();
    }

    public String entity() {
        return event.entity();
    }

    public EntityName entityName() {
        return event.entityName();
    }

    public long ts() {
        return event.ts();
    }

    public long position() {
        return event.position();
    }

    /** The event's place among those sharing its position, or {@link ChangeEventView#NO_ORDINAL}. */
    public long ordinal() {
        return event.ordinal();
    }

    /** A snapshot row: the rows of one snapshot share position and ordinal. */
    public boolean isRead() {
        return event.type() == ChangeEventView.Type.READ;
    }

    /** The offset the worker consumed the record at (its coordinates before any transform renamed the topic). */
    public long offset() {
        return event.record().originalKafkaOffset();
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
            return plan.value((slot & 1) == 0 ? event.before() : event.after(), slot >> 1);
        }
        return switch (index) {
            case 0 -> event.uuid();
            case 1 -> event.type().name();
            case 2 -> event.entity();
            case 3 -> event.id();
            case 4, 5 -> event.ts();
            case 6 -> event.position();
            case 7 -> event.record().originalTopic();
            case 8 -> event.record().originalKafkaPartition();
            case 9 -> event.record().originalKafkaOffset();
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
        return ChangeEventView.where(record);
    }
}
