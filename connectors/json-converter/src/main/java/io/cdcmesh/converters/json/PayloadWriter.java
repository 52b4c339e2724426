package io.cdcmesh.converters.json;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;
import org.apache.kafka.connect.errors.DataException;

/**
 * Writes Connect data with a schema straight to a generator, byte for byte as Kafka's {@code JsonConverter} writes it
 * through a JSON tree: the same number forms (Jackson writes a node's number with the same generator call made here),
 * Base64 bytes or plain numbers for decimals per {@code decimal.format}, nulls replaced by a schema's default per
 * {@code replace.null.with.default}, struct fields in schema order, maps with non-string keys as [key, value] pairs.
 *
 * <p>Anything Kafka's converter would refuse makes this writer throw; the caller then lets Kafka's converter write
 * (or refuse) the record, so that its errors stay Kafka's own.
 */
final class PayloadWriter {
    private final boolean replaceNullWithDefault;
    private final boolean numericDecimals;

    PayloadWriter(boolean replaceNullWithDefault, boolean numericDecimals) {
        this.replaceNullWithDefault = replaceNullWithDefault;
        this.numericDecimals = numericDecimals;
    }

    void write(JsonGenerator g, Schema schema, Object value) throws IOException {
        if (value == null) {
            if (schema.defaultValue() != null && replaceNullWithDefault) {
                write(g, schema, schema.defaultValue());
            } else if (schema.isOptional()) {
                g.writeNull();
            } else {
                throw new DataException("null value for field that is required and has no default value");
            }
            return;
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME:
                    if (numericDecimals) {
                        g.writeNumber((BigDecimal) value);
                    } else {
                        g.writeBinary(Decimal.fromLogical(schema, (BigDecimal) value));
                    }
                    return;
                case Date.LOGICAL_NAME:
                    g.writeNumber(Date.fromLogical(schema, (java.util.Date) value));
                    return;
                case Time.LOGICAL_NAME:
                    g.writeNumber(Time.fromLogical(schema, (java.util.Date) value));
                    return;
                case Timestamp.LOGICAL_NAME:
                    g.writeNumber(Timestamp.fromLogical(schema, (java.util.Date) value));
                    return;
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case INT8 -> g.writeNumber((int) (Byte) value);
            case INT16 -> g.writeNumber((Short) value);
            case INT32 -> g.writeNumber((Integer) value);
            case INT64 -> g.writeNumber((Long) value);
            case FLOAT32 -> g.writeNumber((Float) value);
            case FLOAT64 -> g.writeNumber((Double) value);
            case BOOLEAN -> g.writeBoolean((Boolean) value);
            case STRING -> g.writeString(((CharSequence) value).toString());
            case BYTES -> {
                if (value instanceof byte[] bytes) {
                    g.writeBinary(bytes);
                } else {
                    // As Kafka's converter: the whole backing array, whatever the buffer's position.
                    g.writeBinary(((ByteBuffer) value).array());
                }
            }
            case ARRAY -> {
                g.writeStartArray();
                for (Object item : (Collection<?>) value) {
                    write(g, schema.valueSchema(), item);
                }
                g.writeEndArray();
            }
            case MAP -> map(g, schema, (Map<?, ?>) value);
            case STRUCT -> {
                Struct struct = (Struct) value;
                if (!struct.schema().equals(schema)) {
                    throw new DataException("Mismatching schema.");
                }
                g.writeStartObject();
                for (Field field : schema.fields()) {
                    g.writeFieldName(field.name());
                    write(g, field.schema(), struct.getWithoutDefault(field.name()));
                }
                g.writeEndObject();
            }
            default -> throw new DataException("Couldn't convert " + value + " to JSON.");
        }
    }

    private void map(JsonGenerator g, Schema schema, Map<?, ?> map) throws IOException {
        Schema keys = schema.keySchema();
        if (keys.type() != Schema.Type.STRING) {
            g.writeStartArray();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeStartArray();
                write(g, keys, e.getKey());
                write(g, schema.valueSchema(), e.getValue());
                g.writeEndArray();
            }
            g.writeEndArray();
            return;
        }
        g.writeStartObject();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key) || keys.name() != null) {
                // A null, non-String or logical key: left to Kafka's converter, which writes its text form.
                throw new DataException("map key that is not a plain string");
            }
            g.writeFieldName(key);
            write(g, schema.valueSchema(), e.getValue());
        }
        g.writeEndObject();
    }
}
