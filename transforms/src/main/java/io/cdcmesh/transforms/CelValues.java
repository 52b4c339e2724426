package io.cdcmesh.transforms;

import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * Connect values as CEL sees them: integers as int (Long), floating point and decimals as double, strings,
 * bools, bytes, structs and maps as maps, arrays as lists, temporal logical types as epoch milliseconds, and
 * null as CEL's null.
 */
final class CelValues {
    private CelValues() {}

    static Object of(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof String || value instanceof Boolean || value instanceof Long || value instanceof Double) {
            return value;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Float f) {
            return f.doubleValue();
        }
        if (value instanceof BigDecimal d) {
            return d.doubleValue();
        }
        if (value instanceof Struct struct) {
            Map<String, Object> map = new HashMap<>(struct.schema().fields().size() * 2);
            for (Field field : struct.schema().fields()) {
                map.put(field.name(), of(struct.get(field)));
            }
            return map;
        }
        if (value instanceof Map<?, ?> source) {
            Map<Object, Object> map = new HashMap<>(source.size() * 2);
            for (Map.Entry<?, ?> e : source.entrySet()) {
                map.put(e.getKey() instanceof Number n ? (Object) n.longValue() : e.getKey(), of(e.getValue()));
            }
            return map;
        }
        if (value instanceof List<?> source) {
            List<Object> list = new ArrayList<>(source.size());
            for (Object item : source) {
                list.add(of(item));
            }
            return list;
        }
        if (value instanceof byte[] bytes) {
            return ByteString.copyFrom(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            return ByteString.copyFrom(buffer.duplicate());
        }
        if (value instanceof Date date) {
            return date.getTime();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return value.toString();
    }
}
