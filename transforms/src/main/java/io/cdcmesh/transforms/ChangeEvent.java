package io.cdcmesh.transforms;

import io.cdcmesh.common.event.EventFields;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;

/**
 * Field and header names of cdc-mesh's normalized change event, as the transforms write them: the names are
 * {@link EventFields}' (shared with every sink, which reads them with {@code ChangeEventView}).
 */
public final class ChangeEvent {
    public static final String UUID = EventFields.UUID;
    public static final String TYPE = EventFields.TYPE;
    public static final String TS = EventFields.TS;
    public static final String ENTITY = EventFields.ENTITY;
    public static final String ID = EventFields.ID;
    public static final String POSITION = EventFields.POSITION;
    public static final String ORDINAL = EventFields.ORDINAL;
    public static final String BEFORE = EventFields.BEFORE;
    public static final String AFTER = EventFields.AFTER;

    public static final String HEADER_TYPE = EventFields.HEADER_TYPE;
    public static final String HEADER_UUID = EventFields.HEADER_UUID;
    public static final String HEADER_POSITION = EventFields.HEADER_POSITION;

    private ChangeEvent() {}

    /**
     * A field of a normalized event: from its header where the header is there (no value decoding needed),
     * else from the value. Null if the record is not a normalized event or has no such field.
     */
    public static Object read(ConnectRecord<?> record, String header, String field) {
        Header h = record.headers().lastWithName(header);
        if (h != null && h.value() != null) {
            return h.value();
        }
        return valueField(record.value(), field);
    }

    static Object valueField(Object value, String field) {
        if (value instanceof Struct struct) {
            Field f = struct.schema().field(field);
            return f == null ? null : struct.get(f);
        }
        if (value instanceof Map<?, ?> map) {
            return map.get(field);
        }
        return null;
    }
}
