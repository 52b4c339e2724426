package io.cdcmesh.transforms;

import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.Header;

/** Field and header names of cdc-mesh's normalized change event: the contract every sink reads. */
public final class ChangeEvent {
    public static final String UUID = "uuid";
    public static final String TYPE = "type";
    public static final String TS = "ts";
    public static final String ENTITY = "entity";
    public static final String ID = "id";
    public static final String POSITION = "position";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";

    public static final String HEADER_TYPE = "cdc.type";
    public static final String HEADER_UUID = "cdc.uuid";
    public static final String HEADER_POSITION = "cdc.position";

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
