package io.cdcmesh.converters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.apicurio.registry.rest.client.exception.RestClientException;
import io.apicurio.registry.rest.v2.beans.Error;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.errors.RetriableException;
import org.junit.jupiter.api.Test;

class AvroConverterTest {
    private static RestClientException registry(Integer status, String name, String message) {
        Error error = new Error();
        error.setErrorCode(status);
        error.setName(name);
        error.setMessage(message);
        return new RestClientException(error);
    }

    @Test
    void anUnreachableRegistryIsRetriable() {
        RuntimeException out = AvroConverter.classify(registry(null, "ConnectException", null), "writing a record to topic t");
        assertThat(out).isInstanceOf(RetriableException.class).hasMessageContaining("ConnectException").hasMessageContaining("topic t");
    }

    @Test
    void overloadAndServerErrorsAreRetriable() {
        assertThat(AvroConverter.classify(registry(503, "ServiceUnavailable", "busy"), "x")).isInstanceOf(RetriableException.class);
        assertThat(AvroConverter.classify(registry(429, "TooMany", null), "x")).isInstanceOf(RetriableException.class);
        assertThat(AvroConverter.classify(registry(408, "Timeout", null), "x")).isInstanceOf(RetriableException.class);
    }

    @Test
    void anIncompatibleSchemaIsADataErrorWithTheRegistrysMessage() {
        RuntimeException out = AvroConverter.classify(new IllegalStateException("wrapped",
                registry(409, "RuleViolationException", "Incompatible artifact: field 'rating' changed type")), "writing a record to topic t");
        assertThat(out).isInstanceOf(DataException.class).isNotInstanceOf(RetriableException.class)
                .hasMessageContaining("HTTP 409").hasMessageContaining("field 'rating' changed type");
    }

    @Test
    void aMissingRegistryUrlIsRefusedAtConfigure() {
        try (AvroConverter converter = new AvroConverter()) {
            assertThatThrownBy(() -> converter.configure(Map.of(), false))
                    .isInstanceOf(ConfigException.class).hasMessageContaining("apicurio.registry.url");
        }
    }
}
