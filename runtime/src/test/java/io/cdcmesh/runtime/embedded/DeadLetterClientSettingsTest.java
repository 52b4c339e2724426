package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dead-letter cluster's TLS and authentication: taken under dead.letter., handed to the producer, never printed. */
class DeadLetterClientSettingsTest {
    private static final String SECRET = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"dlq\""
            + " password=\"SECRET-SENTINEL\";";

    @TempDir
    Path dir;

    private PipelineFile pipeline(String runtime) throws Exception {
        return PipelineFile.read(Files.writeString(dir.resolve("pipeline.json"), """
                {
                  "runtime": {%s},
                  "source": {"name": "studio", "config": {"connector.class": "X"}},
                  "sinks": [{"name": "search", "config": {"connector.class": "Y", "topics": "a"}}]
                }
                """.formatted(runtime)));
    }

    @Test
    void securitySettingsReachTheProducerAndStayOutOfToString() throws Exception {
        Path jaas = Files.writeString(dir.resolve("dlq.properties"), "jaas=" + SECRET.replace("\"", "\\\"") + "\n");
        PipelineFile file = pipeline("""
                "dead.letter.bootstrap.servers": "127.0.0.1:9093",
                "dead.letter.security.protocol": "SASL_SSL",
                "dead.letter.sasl.mechanism": "PLAIN",
                "dead.letter.sasl.jaas.config": "${file:%s:jaas}",
                "dead.letter.ssl.truststore.location": "/etc/cdc-mesh/truststore.p12"
                """.formatted(jaas));
        RuntimeSettings runtime = RuntimeSettings.from(file, new ConfigProviders().resolve(file.file(), file.runtime()), "/plugins");

        assertThat(runtime.deadLetterClient()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN").containsEntry("sasl.jaas.config", SECRET)
                .containsEntry("ssl.truststore.location", "/etc/cdc-mesh/truststore.p12");
        assertThat(DeadLetterTopic.producerSettings(runtime.deadLetterBootstrap(), runtime.deadLetterClient(), "search"))
                .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.jaas.config", SECRET)
                .containsEntry("bootstrap.servers", "127.0.0.1:9093").containsEntry("acks", "all");
        assertThat(runtime.toString()).contains("sasl.jaas.config").doesNotContain("SECRET-SENTINEL");
    }

    @Test
    void aClientSettingThatIsNotAboutSecurityIsRefusedOnItsLine() throws Exception {
        PipelineFile file = pipeline("""
                "dead.letter.linger.ms": "5"
                """);
        assertThatThrownBy(() -> RuntimeSettings.from(file, file.runtime(), "/plugins")).isInstanceOf(PipelineException.class)
                .hasMessageContaining("pipeline.json:2:").hasMessageContaining("'dead.letter.linger.ms'")
                .hasMessageContaining("security.protocol, ssl.*, sasl.*");
        PipelineFile typo = pipeline("""
                "dead.letter.ssl.trustore.location": "/x"
                """);
        assertThatThrownBy(() -> RuntimeSettings.from(typo, typo.runtime(), "/plugins"))
                .hasMessageContaining("'ssl.trustore.location' is not a Kafka client security setting");
    }
}
