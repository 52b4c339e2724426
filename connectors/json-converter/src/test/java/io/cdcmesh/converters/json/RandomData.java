package io.cdcmesh.converters.json;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/** Random Connect schemas and values of every type, for comparing this converter with Kafka's. */
final class RandomData {
    private final Random random;

    RandomData(long seed) {
        this.random = new Random(seed);
    }

    /** A struct schema of up to {@code depth} levels of nesting. */
    Schema struct(int depth) {
        SchemaBuilder builder = SchemaBuilder.struct().name("cdc.test.S" + random.nextInt(1000));
        int fields = 1 + random.nextInt(8);
        for (int i = 0; i < fields; i++) {
            builder.field("f" + i + (random.nextBoolean() ? "_x" : ""), any(depth - 1));
        }
        if (random.nextInt(4) == 0) {
            builder.optional();
        }
        return builder.build();
    }

    private Schema any(int depth) {
        int kinds = depth > 0 ? 18 : 15;
        SchemaBuilder builder = switch (random.nextInt(kinds)) {
            case 0 -> SchemaBuilder.bool();
            case 1 -> SchemaBuilder.int8();
            case 2 -> SchemaBuilder.int16();
            case 3 -> SchemaBuilder.int32();
            case 4 -> SchemaBuilder.int64();
            case 5 -> SchemaBuilder.float32();
            case 6 -> SchemaBuilder.float64();
            case 7, 8 -> SchemaBuilder.string();
            case 9 -> SchemaBuilder.bytes();
            case 10 -> Decimal.builder(random.nextInt(6));
            case 11 -> Date.builder();
            case 12 -> Time.builder();
            case 13 -> Timestamp.builder();
            case 14 -> SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").version(1);
            case 15 -> SchemaBuilder.array(any(depth - 1));
            case 16 -> SchemaBuilder.map(random.nextBoolean() ? Schema.STRING_SCHEMA : Schema.INT32_SCHEMA, any(depth - 1));
            default -> SchemaBuilder.struct().name("nested" + random.nextInt(10)).field("a", any(depth - 1)).field("b", any(0));
        };
        if (random.nextInt(3) == 0) {
            builder.optional();
        }
        if (random.nextInt(8) == 0 && builder.type() != Schema.Type.STRUCT) {
            builder.defaultValue(value(builder.build()));
        }
        if (random.nextInt(10) == 0) {
            builder.doc("doc " + random.nextInt(5)).parameter("p", "v" + random.nextInt(3));
        }
        return builder.build();
    }

    /** A value of {@code schema}; null for an optional schema now and then. */
    Object value(Schema schema) {
        if (schema.isOptional() && random.nextInt(5) == 0) {
            return null;
        }
        if (schema.name() != null) {
            switch (schema.name()) {
                case Decimal.LOGICAL_NAME:
                    int scale = Integer.parseInt(schema.parameters().get(Decimal.SCALE_FIELD));
                    return new BigDecimal(new BigInteger(1 + random.nextInt(90), random).multiply(BigInteger.valueOf(random.nextBoolean() ? 1 : -1)), scale);
                case Date.LOGICAL_NAME:
                    return new java.util.Date((long) (random.nextInt(200_000) - 100_000) * 86_400_000L);
                case Time.LOGICAL_NAME:
                    return new java.util.Date(random.nextInt(86_400_000));
                case Timestamp.LOGICAL_NAME:
                    return new java.util.Date(random.nextLong() % 100_000_000_000_000L);
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case BOOLEAN:
                return random.nextBoolean();
            case INT8:
                return (byte) random.nextInt();
            case INT16:
                return (short) random.nextInt();
            case INT32:
                return random.nextInt();
            case INT64:
                return random.nextBoolean() ? random.nextLong() : (long) random.nextInt(1000);
            case FLOAT32:
                return switch (random.nextInt(4)) {
                    case 0 -> finite(Float.intBitsToFloat(random.nextInt()) % 1e30f);
                    case 1 -> (float) random.nextInt(100);
                    case 2 -> random.nextFloat();
                    default -> -0.0f;
                };
            case FLOAT64:
                return switch (random.nextInt(5)) {
                    case 0 -> finite(Double.longBitsToDouble(random.nextLong()) % 1e300);
                    case 1 -> (double) random.nextInt(100);
                    case 2 -> random.nextDouble() * 1e-300;
                    case 3 -> -0.0;
                    default -> random.nextGaussian() * 1e6;
                };
            case STRING:
                return string();
            case BYTES:
                byte[] bytes = new byte[random.nextInt(20)];
                random.nextBytes(bytes);
                return bytes;
            case ARRAY: {
                List<Object> list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(schema.valueSchema()));
                }
                return list;
            }
            case MAP: {
                Map<Object, Object> map = new HashMap<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    Object key = schema.keySchema().type() == Schema.Type.STRING ? string() : random.nextInt();
                    map.put(key, value(schema.valueSchema()));
                }
                return map;
            }
            case STRUCT: {
                Struct struct = new Struct(schema);
                for (Field field : schema.fields()) {
                    Object v = value(field.schema());
                    if (v != null || field.schema().isOptional()) {
                        struct.put(field, v);
                    } else {
                        struct.put(field, field.schema().defaultValue());
                    }
                }
                return struct;
            }
            default:
                throw new IllegalStateException(schema.type().toString());
        }
    }

    // Non-finite numbers are left out: Kafka's converter reads them back as 0.0 (JsonConverterTest covers them).
    private static float finite(float f) {
        return Float.isFinite(f) ? f : 1.5f;
    }

    private static double finite(double d) {
        return Double.isFinite(d) ? d : 2.5;
    }

    private String string() {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(12); i > 0; i--) {
            int kind = random.nextInt(10);
            text.appendCodePoint(kind == 0 ? random.nextInt(32) : kind == 1 ? 0x1F600 + random.nextInt(50)
                    : kind == 2 ? 0x4E00 + random.nextInt(1000) : kind == 3 ? '"' : kind == 4 ? '\\' : 'a' + random.nextInt(26));
        }
        return text.toString();
    }
}
