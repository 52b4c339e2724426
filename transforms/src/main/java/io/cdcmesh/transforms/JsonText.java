package io.cdcmesh.transforms;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A Connect value as JSON text, in the shape of Kafka's JsonConverter without schemas: structs and maps as objects,
 * bytes as Base64, decimals as plain numbers, dates as epoch milliseconds. For dead letters, whose values must share
 * one schema (a string) whatever table they come from.
 */
final class JsonText {
    private JsonText() {}

    static String of(Object value) {
        return value == null ? null : append(new StringBuilder(256), value).toString();
    }

    private static StringBuilder append(StringBuilder out, Object value) {
        if (value == null) {
            return out.append("null");
        }
        if (value instanceof Struct struct) {
            out.append('{');
            boolean first = true;
            for (Field field : struct.schema().fields()) {
                first = comma(out, first);
                string(out, field.name()).append(':');
                append(out, struct.get(field));
            }
            return out.append('}');
        }
        if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                first = comma(out, first);
                string(out, String.valueOf(e.getKey())).append(':');
                append(out, e.getValue());
            }
            return out.append('}');
        }
        if (value instanceof Collection<?> list) {
            out.append('[');
            boolean first = true;
            for (Object item : list) {
                first = comma(out, first);
                append(out, item);
            }
            return out.append(']');
        }
        if (value instanceof byte[] bytes) {
            return string(out, Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return string(out, Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof BigDecimal decimal) {
            return out.append(decimal.toPlainString());
        }
        if (value instanceof Double d && (d.isNaN() || d.isInfinite()) || value instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return string(out, value.toString());
        }
        if (value instanceof Number || value instanceof Boolean) {
            return out.append(value);
        }
        if (value instanceof Date date) {
            return out.append(date.getTime());
        }
        return string(out, value.toString());
    }

    private static boolean comma(StringBuilder out, boolean first) {
        if (!first) {
            out.append(',');
        }
        return false;
    }

    private static StringBuilder string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
