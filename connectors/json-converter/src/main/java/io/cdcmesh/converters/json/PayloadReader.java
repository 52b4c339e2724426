package io.cdcmesh.converters.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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
 * Reads a payload straight from the parser's tokens into Connect data, given its schema, with no JSON tree in between.
 *
 * <p>It gives what Kafka's {@code JsonConverter} gives for everything that converter writes: the same Java types
 * (numbers are converted the way Jackson's number nodes convert them, decimals exactly), nulls replaced by a schema's
 * default per {@code replace.null.with.default}, a missing struct field read as null, unknown fields ignored. Where
 * Kafka's converter silently turns a value of the wrong JSON type into 0, false or null (a string in an INT32 field, a
 * number in a STRING field), this reader refuses it with a {@link DataException} that names the field. The
 * non-finite doubles Jackson writes as the strings {@code "NaN"}, {@code "Infinity"} and {@code "-Infinity"} are read
 * back as such (Kafka's converter reads them as 0.0).
 */
final class PayloadReader {
    private final boolean replaceNullWithDefault;

    PayloadReader(boolean replaceNullWithDefault) {
        this.replaceNullWithDefault = replaceNullWithDefault;
    }

    /** The value whose first token is the parser's current token, {@code token}; leaves the parser on its last token. */
    Object read(JsonParser p, JsonToken token, Schema schema) throws IOException {
        if (token == JsonToken.VALUE_NULL) {
            return nullValue(schema);
        }
        String logical = schema.name();
        if (logical != null) {
            switch (logical) {
                case Decimal.LOGICAL_NAME:
                    return decimal(p, token, schema);
                case Date.LOGICAL_NAME:
                    return Date.toLogical(schema, smallInt(p, token, "Date"));
                case Time.LOGICAL_NAME:
                    return Time.toLogical(schema, smallInt(p, token, "Time"));
                case Timestamp.LOGICAL_NAME:
                    if (token != JsonToken.VALUE_NUMBER_INT) {
                        throw mismatch("an integer for Timestamp", token);
                    }
                    return Timestamp.toLogical(schema, integral(p).longValue());
                default:
                    break;
            }
        }
        switch (schema.type()) {
            case BOOLEAN:
                if (token == JsonToken.VALUE_TRUE) {
                    return Boolean.TRUE;
                }
                if (token == JsonToken.VALUE_FALSE) {
                    return Boolean.FALSE;
                }
                throw mismatch("true or false", token);
            case INT8:
                return (byte) number(p, token, schema).intValue();
            case INT16:
                return (short) number(p, token, schema).intValue();
            case INT32:
                return number(p, token, schema).intValue();
            case INT64:
                return number(p, token, schema).longValue();
            // Floats as floats, not through a BigDecimal as Kafka's converter reads them: the same value, and -0.0 keeps
            // its sign (a BigDecimal has no negative zero).
            case FLOAT32:
                return token == JsonToken.VALUE_STRING ? (float) nonFinite(p)
                        : token == JsonToken.VALUE_NUMBER_FLOAT ? p.getFloatValue() : number(p, token, schema).floatValue();
            case FLOAT64:
                return token == JsonToken.VALUE_STRING ? nonFinite(p)
                        : token == JsonToken.VALUE_NUMBER_FLOAT ? p.getDoubleValue() : number(p, token, schema).doubleValue();
            case STRING:
                if (token != JsonToken.VALUE_STRING) {
                    throw mismatch("a string", token);
                }
                return p.getText();
            case BYTES:
                return bytes(p, token);
            case ARRAY:
                return array(p, token, schema);
            case MAP:
                return map(p, token, schema);
            case STRUCT:
                return struct(p, token, schema);
            default:
                throw new DataException("Unknown schema type: " + schema.type());
        }
    }

    private Object nullValue(Schema schema) {
        if (schema.defaultValue() != null && replaceNullWithDefault) {
            return schema.defaultValue();
        }
        if (schema.isOptional()) {
            return null;
        }
        throw new DataException("Invalid null value for required " + schema.type() + " field");
    }

    private Struct struct(JsonParser p, JsonToken token, Schema schema) throws IOException {
        if (token != JsonToken.START_OBJECT) {
            throw mismatch("an object for a struct", token);
        }
        Struct struct = new Struct(schema);
        List<Field> fields = schema.fields();
        boolean[] seen = new boolean[fields.size()];
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            Field field = schema.field(p.currentName());
            JsonToken valueToken = p.nextToken();
            if (field == null) {
                p.skipChildren();
                continue;
            }
            seen[field.index()] = true;
            struct.put(field, within(field, p, valueToken));
        }
        for (Field field : fields) {
            if (!seen[field.index()]) {
                Object value;
                try {
                    value = nullValue(field.schema());
                } catch (DataException e) {
                    throw FieldError.at(field.name(), e);
                }
                if (value != null) {
                    struct.put(field, value);
                }
            }
        }
        return struct;
    }

    private Object within(Field field, JsonParser p, JsonToken token) throws IOException {
        try {
            return read(p, token, field.schema());
        } catch (DataException e) {
            throw FieldError.at(field.name(), e);
        }
    }

    private List<Object> array(JsonParser p, JsonToken token, Schema schema) throws IOException {
        if (token != JsonToken.START_ARRAY) {
            throw mismatch("an array", token);
        }
        List<Object> list = new ArrayList<>();
        Schema items = schema.valueSchema();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            try {
                list.add(read(p, t, items));
            } catch (DataException e) {
                throw FieldError.at("[" + list.size() + "]", e);
            }
        }
        return list;
    }

    private Map<Object, Object> map(JsonParser p, JsonToken token, Schema schema) throws IOException {
        Map<Object, Object> map = new HashMap<>();
        Schema values = schema.valueSchema();
        if (schema.keySchema().type() == Schema.Type.STRING) {
            if (token != JsonToken.START_OBJECT) {
                throw mismatch("an object for a map with string keys", token);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                try {
                    map.put(key, read(p, p.nextToken(), values));
                } catch (DataException e) {
                    throw FieldError.at("[" + key + "]", e);
                }
            }
            return map;
        }
        if (token != JsonToken.START_ARRAY) {
            throw mismatch("an array of [key, value] pairs for a map", token);
        }
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.START_ARRAY) {
                throw mismatch("a [key, value] pair", t);
            }
            Object key = read(p, p.nextToken(), schema.keySchema());
            JsonToken valueToken = p.nextToken();
            if (valueToken == JsonToken.END_ARRAY) {
                throw new DataException("Found invalid map entry, expected length 2 but found :1");
            }
            Object value;
            try {
                value = read(p, valueToken, values);
            } catch (DataException e) {
                throw FieldError.at("[" + key + "]", e);
            }
            if (p.nextToken() != JsonToken.END_ARRAY) {
                throw new DataException("Found invalid map entry: more than a key and a value");
            }
            map.put(key, value);
        }
        return map;
    }

    /** A number token as the Jackson node Kafka's converter would read it into, which then converts it. */
    private static Number number(JsonParser p, JsonToken token, Schema schema) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            return integral(p);
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            // Kafka's deserializer reads every non-integer as an exact BigDecimal (USE_BIG_DECIMAL_FOR_FLOATS).
            return p.getDecimalValue();
        }
        throw mismatch("a number for " + schema.type(), token);
    }

    /** An integer token as an int, long or BigInteger, the narrowest that holds it (as Jackson's nodes). */
    private static Number integral(JsonParser p) throws IOException {
        return switch (p.getNumberType()) {
            case INT -> p.getIntValue();
            case LONG -> p.getLongValue();
            default -> p.getBigIntegerValue();
        };
    }

    private static int smallInt(JsonParser p, JsonToken token, String type) throws IOException {
        if (token != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw mismatch("a 32-bit integer for " + type, token);
        }
        return p.getIntValue();
    }

    private static BigDecimal decimal(JsonParser p, JsonToken token, Schema schema) throws IOException {
        if (token == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue();
        }
        if (token == JsonToken.VALUE_NUMBER_INT) {
            Number n = integral(p);
            return n instanceof BigInteger big ? new BigDecimal(big) : BigDecimal.valueOf(n.longValue());
        }
        if (token == JsonToken.VALUE_STRING) {
            try {
                return Decimal.toLogical(schema, p.getBinaryValue());
            } catch (IOException | RuntimeException e) {
                throw new DataException("Invalid bytes for Decimal field", e);
            }
        }
        throw mismatch("a number or Base64 bytes for Decimal", token);
    }

    private static byte[] bytes(JsonParser p, JsonToken token) throws IOException {
        if (token != JsonToken.VALUE_STRING) {
            throw mismatch("Base64 bytes as a string", token);
        }
        try {
            return p.getBinaryValue();
        } catch (IOException e) {
            throw new DataException("Invalid bytes field", e);
        }
    }

    private static double nonFinite(JsonParser p) throws IOException {
        String text = p.getText();
        return switch (text) {
            case "NaN" -> Double.NaN;
            case "Infinity" -> Double.POSITIVE_INFINITY;
            case "-Infinity" -> Double.NEGATIVE_INFINITY;
            default -> throw new DataException("Expected a number, found the string \"" + abbreviate(text) + "\"");
        };
    }

    private static DataException mismatch(String expected, JsonToken found) {
        return new DataException("Expected " + expected + ", found " + describe(found));
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> String.valueOf(token);
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "...";
    }

    /** A conversion error with the path of the field it happened in, outermost first: {@code after.score}. */
    static final class FieldError extends DataException {
        private final String path;
        private final String reason;

        private FieldError(String path, String reason, Throwable cause) {
            super("field '" + path + "': " + reason, cause);
            this.path = path;
            this.reason = reason;
        }

        static FieldError at(String segment, DataException e) {
            if (e instanceof FieldError inner) {
                String joined = inner.path.startsWith("[") ? segment + inner.path : segment + "." + inner.path;
                return new FieldError(joined, inner.reason, inner.getCause());
            }
            return new FieldError(segment, e.getMessage(), e.getCause() != null ? e.getCause() : e);
        }
    }
}
