package io.cdcmesh.runtime.schemas;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * Values that fit a schema, to pass one change event of each table through a pipeline's transforms and learn the
 * schemas they emit. Optional fields stay null unless {@link #struct(Schema, Map)} is given a value for them.
 */
final class SampleValues {
    private SampleValues() {}

    /** A struct of {@code schema} with {@code given} values and a fitting value for every other required field. */
    static Struct struct(Schema schema, Map<String, Object> given) {
        Struct struct = new Struct(schema);
        for (Field field : schema.fields()) {
            Object value = given.containsKey(field.name()) ? given.get(field.name()) : (field.schema().isOptional() ? null : of(field.schema()));
            struct.put(field, value);
        }
        return struct;
    }

    static Object of(Schema schema) {
        if (schema.defaultValue() != null) {
            return schema.defaultValue();
        }
        String name = schema.name();
        if (Decimal.LOGICAL_NAME.equals(name)) {
            return BigDecimal.ZERO.setScale(Integer.parseInt(schema.parameters().getOrDefault(Decimal.SCALE_FIELD, "0")));
        }
        if (Date.LOGICAL_NAME.equals(name) || Time.LOGICAL_NAME.equals(name)
                || Timestamp.LOGICAL_NAME.equals(name)) {
            return new java.util.Date(0);
        }
        return switch (schema.type()) {
            case INT8 -> (byte) 0;
            case INT16 -> (short) 0;
            case INT32 -> 0;
            case INT64 -> 0L;
            case FLOAT32 -> 0f;
            case FLOAT64 -> 0d;
            case BOOLEAN -> false;
            case STRING -> "";
            case BYTES -> ByteBuffer.wrap(new byte[0]);
            case ARRAY -> List.of();
            case MAP -> Map.of();
            case STRUCT -> struct(schema, Map.of());
        };
    }
}
