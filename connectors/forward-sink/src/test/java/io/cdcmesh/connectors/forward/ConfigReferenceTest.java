package io.cdcmesh.connectors.forward;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.testkit.ConfigDocs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    @Test
    void configReferenceMatchesTheConfigDef() {
        new ConfigDocs("cdc-mesh forward-to-topic sink: configuration reference",
                "Every key of `io.cdcmesh.connectors.forward.TopicForwardSinkConnector`, with its type, default and allowed values.")
                .section("TopicForwardSinkConnector", TopicForwardSinkConnector.class.getName(),
                        "Forwards normalized change events to a Kafka topic, keyed by primary key, through an idempotent producer.",
                        TopicForwardSinkConfig.CONFIG_DEF)
                .checkOrUpdate(Path.of("CONFIG.md"));
    }

    @Test
    void validateReportsEachProblemOnItsKey() {
        Map<String, String> props = new HashMap<>();
        props.put("target.topic", "bad topic!");
        Config result = new TopicForwardSinkConnector().validate(props);
        assertThat(errors(result, "target.topic")).anyMatch(m -> m.contains("1 to 249 of the characters"));
        assertThat(errors(result, "target.bootstrap.servers")).anyMatch(m -> m.contains("Missing required"));
    }

    @Test
    void producerSettingsThatGiveUpOrderOrAcknowledgementAreRefusedOnTheirKeys() {
        Map<String, String> props = new HashMap<>();
        props.put("target.topic", "filtered.${topic}");
        props.put("target.bootstrap.servers", "127.0.0.1:1");
        props.put("target.producer.enable.idempotence", "false");
        props.put("target.producer.acks", "1");
        props.put("target.producer.max.in.flight.requests.per.connection", "10");
        props.put("target.producer.transactional.id", "x");
        Config result = new TopicForwardSinkConnector().validate(props);
        assertThat(errors(result, "target.producer.enable.idempotence")).anyMatch(m -> m.contains("Must stay true"));
        assertThat(errors(result, "target.producer.acks")).anyMatch(m -> m.contains("Must be 'all'"));
        assertThat(errors(result, "target.producer.max.in.flight.requests.per.connection")).anyMatch(m -> m.contains("1 to 5"));
        assertThat(errors(result, "target.producer.transactional.id")).anyMatch(m -> m.contains("transactions are not used"));
    }

    @Test
    void anUnreachableTargetClusterIsReportedOnItsBootstrapServers() {
        Map<String, String> props = new HashMap<>();
        props.put("target.topic", "filtered.${topic}");
        props.put("target.bootstrap.servers", "127.0.0.1:1");
        Config result = new TopicForwardSinkConnector().validate(props);
        assertThat(errors(result, "target.bootstrap.servers")).anyMatch(m -> m.contains("Could not reach the Kafka cluster"));
    }

    @Test
    void theTargetTopicCanNameTheRecordsTopic() {
        TopicForwardSinkConfig config = new TopicForwardSinkConfig(Map.of("target.topic", "filtered.${topic}",
                "target.bootstrap.servers", "127.0.0.1:1"));
        assertThat(config.targetTopic("studio.db.titles")).isEqualTo("filtered.studio.db.titles");
    }

    private static List<String> errors(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages)
                .orElseThrow();
    }
}
