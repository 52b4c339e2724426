package io.cdcmesh.converters.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cdcmesh.common.Versions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.json.DecimalFormat;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.storage.Converter;
import org.apache.kafka.connect.storage.ConverterType;
import org.apache.kafka.connect.storage.StringConverterConfig;

/**
 * Kafka's JSON format with schemas ({@code schemas.enable=true}, an envelope of {@code schema} and {@code payload}),
 * read faster: a drop-in for {@code org.apache.kafka.connect.json.JsonConverter}, with the same configuration keys.
 *
 * <p>Kafka's converter parses every record into a JSON tree, schema and all, and looks the schema up by the tree
 * (hashing and comparing every node of it) before walking the payload. This one recognizes the schema by its bytes:
 * a topic's records carry the same schema text byte for byte, so the schema is found by comparing bytes with the
 * schemas seen last, without parsing it; only a new schema text is parsed, by Kafka's own converter. The payload is
 * then read from the parser's tokens straight into Connect data ({@link PayloadReader}).
 *
 * <p>Writing gives the bytes Kafka's converter gives, without building a tree either: the schema's JSON text is
 * written once per schema and kept, and the payload is written straight from the Connect data ({@link PayloadWriter}).
 *
 * <p>Kafka's converter itself still does what is rare: reading with {@code schemas.enable=false}, reading an envelope
 * that is not the plain {@code {"schema":{...},"payload":...}} the serializer writes (fields in another order, a
 * null schema), writing data without a schema, and refusing what it cannot write, so that errors and edge cases stay
 * Kafka's. A value of the wrong JSON type for its field is refused with an error naming the field, where Kafka's
 * converter would read 0, false or null instead.
 */
public class JsonConverter implements Converter, Versioned {
    private static final String VERSION = Versions.of(JsonConverter.class);
    private static final byte[] HEAD = "{\"schema\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] MIDDLE = ",\"payload\":".getBytes(StandardCharsets.UTF_8);

    private final org.apache.kafka.connect.json.JsonConverter kafka = new org.apache.kafka.connect.json.JsonConverter();
    /** Reads a new schema's text as Kafka's deserializer does (exact decimals), for Kafka's converter to build. */
    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private final JsonFactory factory = mapper.getFactory();
    private final Map<Schema, byte[]> schemaJson = Collections.synchronizedMap(new IdentityHashMap<>());
    private boolean schemasEnabled;
    private int schemaCacheSize;
    private volatile int sizeHint = 256;
    private PayloadReader reader;
    private PayloadWriter writer;
    private SchemaCache schemas;

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public ConfigDef config() {
        return JsonConverterConfig.configDef();
    }

    /** Configures from a map that holds {@code converter.type} ({@code key} or {@code value}), as Kafka's converter does. */
    public void configure(Map<String, ?> configs) {
        JsonConverterConfig config = new JsonConverterConfig(configs);
        kafka.configure(configs);
        schemasEnabled = config.schemasEnabled();
        reader = new PayloadReader(config.replaceNullWithDefault());
        writer = new PayloadWriter(config.replaceNullWithDefault(), config.decimalFormat() == DecimalFormat.NUMERIC);
        schemaCacheSize = config.schemaCacheSize();
        schemas = new SchemaCache(config.schemaCacheSize());
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> conf = new HashMap<>(configs);
        conf.put(StringConverterConfig.TYPE_CONFIG, isKey ? ConverterType.KEY.getName() : ConverterType.VALUE.getName());
        configure(conf);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        if (schema == null) {
            return kafka.fromConnectData(topic, null, value);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(sizeHint);
            if (schemasEnabled) {
                out.write(HEAD);
                out.write(schemaJson(schema));
                out.write(MIDDLE);
            }
            try (JsonGenerator json = factory.createGenerator(out)) {
                writer.write(json, schema, value);
            }
            if (schemasEnabled) {
                out.write('}');
            }
            sizeHint = Math.max(64, out.size() + 64);
            return out.toByteArray();
        } catch (IOException | DataException | ClassCastException e) {
            // A value Kafka's converter may refuse: it writes it, or refuses it with its own message.
            return kafka.fromConnectData(topic, schema, value);
        }
    }

    /** The schema's JSON text as Kafka's converter writes it, cached per schema instance. */
    private byte[] schemaJson(Schema schema) throws IOException {
        byte[] json = schemaJson.get(schema);
        if (json == null) {
            json = mapper.writeValueAsBytes(kafka.asJsonSchema(schema));
            synchronized (schemaJson) {
                if (schemaJson.size() >= schemaCacheSize) {
                    schemaJson.clear();
                }
                schemaJson.put(schema, json);
            }
        }
        return json;
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        if (value == null) {
            return SchemaAndValue.NULL;
        }
        if (!schemasEnabled) {
            return kafka.toConnectData(topic, value);
        }
        try {
            SchemaAndValue read = read(value);
            return read != null ? read : kafka.toConnectData(topic, value);
        } catch (JsonProcessingException e) {
            // Not well-formed JSON: Kafka's converter reports it as it always has.
            return kafka.toConnectData(topic, value);
        } catch (IOException e) {
            throw new DataException("Converting byte[] to Kafka Connect data failed: " + e.getMessage(), e);
        }
    }

    /** The record, or null when it is not an envelope of the plain form (Kafka's converter then reads it). */
    private SchemaAndValue read(byte[] bytes) throws IOException {
        if (startsWith(bytes, HEAD) && bytes[bytes.length - 1] == '}') {
            SchemaCache.Entry known = schemas.recentAt(bytes, HEAD.length, MIDDLE);
            if (known != null) {
                int from = HEAD.length + known.json().length + MIDDLE.length;
                SchemaAndValue read = payloadOnly(known.schema(), bytes, from, bytes.length - 1 - from);
                if (read != null) {
                    return read;
                }
            }
        }
        return envelope(bytes);
    }

    /** The payload that is exactly {@code bytes[from, from + length)}; null if that is not exactly one JSON value. */
    private SchemaAndValue payloadOnly(Schema schema, byte[] bytes, int from, int length) throws IOException {
        try (JsonParser p = factory.createParser(bytes, from, length)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return null;
            }
            Object value = reader.read(p, first, schema);
            return p.nextToken() == null ? new SchemaAndValue(schema, value) : null;
        }
    }

    /** An envelope read token by token: schema first (by its bytes), then the payload; null if it is of another form. */
    private SchemaAndValue envelope(byte[] bytes) throws IOException {
        try (JsonParser p = factory.createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"schema".equals(p.currentName()) || p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            int from = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            int to = (int) p.currentLocation().getByteOffset();
            SchemaCache.Entry entry = schemas.get(bytes, from, to);
            if (entry == null) {
                Schema schema = kafka.asConnectSchema(mapper.readTree(bytes, from, to - from));
                entry = schemas.put(bytes, from, to, schema);
            }
            if (p.nextToken() != JsonToken.FIELD_NAME || !"payload".equals(p.currentName())) {
                return null;
            }
            Object value = reader.read(p, p.nextToken(), entry.schema());
            if (p.nextToken() != JsonToken.END_OBJECT) {
                return null;
            }
            return new SchemaAndValue(entry.schema(), value);
        }
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length > prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** Schemas cached by their bytes (for tests). */
    int cachedSchemas() {
        return schemas.size();
    }

    @Override
    public void close() {
        kafka.close();
    }
}
