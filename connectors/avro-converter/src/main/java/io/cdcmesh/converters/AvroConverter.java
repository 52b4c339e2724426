package io.cdcmesh.converters;

import io.apicurio.registry.rest.client.exception.RestClientException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * Avro in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary) with schemas in a registry:
 * Apicurio's {@code AvroConverter}, with two differences.
 *
 * <ul>
 *   <li>Defaults that give the Confluent wire format and registration on first use (each can be overridden with
 *       the same key): {@code apicurio.registry.auto-register=true}, {@code apicurio.registry.id-handler=}Legacy4ByteIdHandler,
 *       {@code apicurio.registry.use-id=contentId}, {@code apicurio.registry.headers.enabled=false}, and {@code apicurio.registry.fault-tolerant-refresh=true} (a
 *       schema already cached keeps serving while the registry is unreachable).</li>
 *   <li>When the registry cannot be reached (connection refused, timeout) or answers 408, 429 or 5xx, the failure
 *       is thrown as Connect's {@link RetriableException}. Connect then retries the conversion within the
 *       connector's {@code errors.retry.timeout} (with {@code errors.retry.delay.max.ms} backoff) instead of
 *       failing the task or, under {@code errors.tolerance=all}, dropping the record. Any other registry answer
 *       (an incompatible schema, a bad request) stays a {@link DataException} with the registry's message.</li>
 * </ul>
 */
public class AvroConverter extends io.apicurio.registry.utils.converter.AvroConverter<Object> {
    static final Map<String, String> DEFAULTS = Map.of(
            "apicurio.registry.auto-register", "true",
            "apicurio.registry.id-handler", "io.apicurio.registry.serde.Legacy4ByteIdHandler",
            "apicurio.registry.use-id", "contentId",
            "apicurio.registry.headers.enabled", "false",
            "apicurio.registry.fault-tolerant-refresh", "true");

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Map<String, Object> effective = new HashMap<>(DEFAULTS);
        effective.putAll(configs);
        if (effective.get("apicurio.registry.url") == null) {
            throw new ConfigException("apicurio.registry.url", null,
                    "The schema registry's URL is required, e.g. http://registry:8080/apis/registry/v2");
        }
        super.configure(effective, isKey);
    }

    @Override
    public byte[] fromConnectData(String topic, Schema schema, Object value) {
        try {
            return super.fromConnectData(topic, schema, value);
        } catch (RuntimeException e) {
            throw classify(e, "writing a record to topic " + topic);
        }
    }

    @Override
    public byte[] fromConnectData(String topic, Headers headers, Schema schema, Object value) {
        try {
            return super.fromConnectData(topic, headers, schema, value);
        } catch (RuntimeException e) {
            throw classify(e, "writing a record to topic " + topic);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, byte[] value) {
        try {
            return super.toConnectData(topic, value);
        } catch (RuntimeException e) {
            throw classify(e, "reading a record from topic " + topic);
        }
    }

    @Override
    public SchemaAndValue toConnectData(String topic, Headers headers, byte[] value) {
        try {
            return super.toConnectData(topic, headers, value);
        } catch (RuntimeException e) {
            throw classify(e, "reading a record from topic " + topic);
        }
    }

    /** The exception to throw for {@code e}: retriable if the registry was unreachable or overloaded. */
    static RuntimeException classify(RuntimeException e, String doing) {
        if (e instanceof RetriableException || e instanceof DataException) {
            return e;
        }
        RestClientException registry = registryError(e);
        if (registry == null) {
            return new DataException("Avro conversion failed " + doing + ": " + e, e);
        }
        Integer status = registry.getError() == null ? null : registry.getError().getErrorCode();
        String what = describe(registry);
        if (status == null || status == 408 || status == 429 || status >= 500) {
            return new RetriableException("Schema registry unavailable while " + doing + " (" + what + "); will retry", e);
        }
        return new DataException("Schema registry refused " + doing + ": " + what, e);
    }

    private static RestClientException registryError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RestClientException r) {
                return r;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String describe(RestClientException e) {
        var error = e.getError();
        if (error == null) {
            return String.valueOf(e.getMessage());
        }
        StringBuilder text = new StringBuilder();
        if (error.getErrorCode() != null) {
            text.append("HTTP ").append(error.getErrorCode()).append(' ');
        }
        text.append(error.getName() == null ? "error" : error.getName());
        if (error.getMessage() != null) {
            text.append(": ").append(error.getMessage());
        }
        if (error.getDetail() != null && !error.getDetail().equals(error.getMessage())) {
            text.append(" (").append(error.getDetail()).append(')');
        }
        return text.toString();
    }
}
