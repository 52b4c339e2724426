package io.cdcmesh.transforms;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The canonical string form of a primary key: the event's {@code id}.
 *
 * <ul>
 *   <li>One key column: the column's value as text.
 *   <li>Several key columns: the values ordered by column name (so the id is the same whatever the converter,
 *       and schemaless maps carry no column order), each escaped ({@code \} as {@code \\}, {@code |} as
 *       {@code \|}, a null as {@code \N}) and joined with {@code |}. Different keys never give the same id.
 * </ul>
 *
 * Values as text: integers and floating point in decimal, decimals in plain notation (no exponent), bytes in
 * standard Base64 (as the JSON converter writes them), everything else by {@code toString()}.
 */
public final class EntityIds {
    private EntityIds() {}

    public static String of(Struct key, String entity) {
        List<Field> fields = key.schema().fields();
        if (fields.size() == 1) {
            return single(key.get(fields.get(0)), fields.get(0).name(), entity);
        }
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Field field : fields) {
            sorted.put(field.name(), key.get(field));
        }
        return composite(sorted);
    }

    public static String of(Map<?, ?> key, String entity) {
        if (key.size() == 1) {
            Map.Entry<?, ?> only = key.entrySet().iterator().next();
            return single(only.getValue(), String.valueOf(only.getKey()), entity);
        }
        TreeMap<String, Object> sorted = new TreeMap<>();
        for (Map.Entry<?, ?> e : key.entrySet()) {
            sorted.put(String.valueOf(e.getKey()), e.getValue());
        }
        return composite(sorted);
    }

    private static String single(Object value, String column, String entity) {
        if (value == null) {
            throw new DataException("Key column '" + column + "' of " + entity + " is null: a key needs a value");
        }
        return text(value);
    }

    private static String composite(TreeMap<String, Object> parts) {
        StringBuilder id = new StringBuilder(32);
        boolean first = true;
        for (Object value : parts.values()) {
            if (!first) {
                id.append('|');
            }
            first = false;
            if (value == null) {
                id.append("\\N");
                continue;
            }
            String text = text(value);
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '\\' || c == '|') {
                    id.append('\\');
                }
                id.append(c);
            }
        }
        return id.toString();
    }

    static String text(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }
}
