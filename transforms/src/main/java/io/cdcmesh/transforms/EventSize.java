package io.cdcmesh.transforms;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * About how many bytes a change's row images take once a converter writes them: strings by their length, bytes as
 * Base64 (as JSON carries them), numbers and the rest a few bytes each. An estimate, to set aside a row no Kafka
 * producer would take, not a measure: a converter's schema and escaping come on top.
 */
final class EventSize {
    private EventSize() {}

    static long of(Object value) {
        if (value == null) {
            return 4;
        }
        if (value instanceof Struct struct) {
            long size = 2;
            for (Field field : struct.schema().fields()) {
                size += field.name().length() + 4 + of(struct.get(field));
            }
            return size;
        }
        if (value instanceof String text) {
            return text.length() + 2L;
        }
        if (value instanceof byte[] bytes) {
            return 4L * bytes.length / 3 + 4;
        }
        if (value instanceof ByteBuffer buffer) {
            return 4L * buffer.remaining() / 3 + 4;
        }
        if (value instanceof Map<?, ?> map) {
            long size = 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                size += String.valueOf(e.getKey()).length() + 4 + of(e.getValue());
            }
            return size;
        }
        if (value instanceof Collection<?> list) {
            long size = 2;
            for (Object item : list) {
                size += of(item) + 1;
            }
            return size;
        }
        return 24;
    }
}
