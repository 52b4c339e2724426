package io.cdcmesh.sink.elasticsearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.testkit.ConfigDocs;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    @Test
    void configReferenceMatchesTheConfigDef() {
        new ConfigDocs("cdc-mesh Elasticsearch sink: configuration reference",
                "Every key of `io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector`, with its type, default and allowed values.")
                .section("ElasticsearchSinkConnector", ElasticsearchSinkConnector.class.getName(),
                        "Indexes the latest state of every entity from cdc-mesh normalized change events.",
                        ElasticsearchSinkConfig.CONFIG_DEF)
                .checkOrUpdate(Path.of("CONFIG.md"));
    }

    @Test
    void validateReportsEachProblemOnItsKey() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "ftp://nowhere");
        props.put("behavior.on.malformed.documents", "explode");
        Config result = new ElasticsearchSinkConnector().validate(props);
        assertThat(errors(result, "connection.url")).anyMatch(m -> m.contains("http://host:port"));
        assertThat(errors(result, "behavior.on.malformed.documents")).anyMatch(m -> m.contains("one of"));
        assertThat(errors(result, "batch.size")).isEmpty();
    }

    @Test
    void crossFieldProblemsAreReportedOnTheKeyTheyConcern() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "http://127.0.0.1:1");
        props.put("batch.size", "5000");
        props.put("max.buffered.records", "1000");
        props.put("connection.username", "elastic");
        Config result = new ElasticsearchSinkConnector().validate(props);
        assertThat(errors(result, "batch.size")).anyMatch(m -> m.contains("max.buffered.records"));
        assertThat(errors(result, "connection.password")).anyMatch(m -> m.contains("both"));
    }

    @Test
    void aRefusedSecretIsNamedByItsKeyNeverPrinted() {
        Map<String, String> props = new HashMap<>();
        props.put("topics", "t");
        props.put("connection.url", "http://127.0.0.1:1");
        props.put("connection.username", "elastic");
        props.put("connection.api.key", "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
        assertThatThrownBy(() -> new ElasticsearchSinkConnector().start(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("connection.api.key").hasMessageContaining("[hidden]")
                .hasMessageNotContaining("VnVhQ2ZHY0JDZGJrUW0");
    }

    @Test
    void settingsThatLetTwoTablesShareAnIndexUnderPlainIdsAreRefused() {
        Map<String, String> props = new HashMap<>();
        props.put("connection.url", "http://127.0.0.1:1");
        props.put("index.name.pattern", "everything-in-${db}");
        props.put("topic.index.map", "studio.shop.orders:shop,studio.shop.Orders:SHOP");
        Config result = new ElasticsearchSinkConnector().validate(props);
        assertThat(errors(result, "index.name.pattern")).singleElement().asString().contains("every table of a database")
                .contains("document.id.namespace=entity");
        assertThat(errors(result, "topic.index.map")).singleElement().asString().contains("studio.shop.orders")
                .contains("studio.shop.Orders");

        props.put("document.id.namespace", "entity");
        ElasticsearchSinkConfig shared = new ElasticsearchSinkConfig(props);
        assertThat(shared.crossFieldErrors()).isEmpty();
        props.remove("document.id.namespace");
        props.remove("topic.index.map");
        props.put("topics", "studio.shop.orders");
        assertThat(new ElasticsearchSinkConfig(props).crossFieldErrors()).as("one topic to a fixed index").isEmpty();
        props.put("index.name.pattern", "${db}.${table}");
        props.remove("topic.index.map");
        assertThat(new ElasticsearchSinkConfig(props).crossFieldErrors()).isEmpty();
    }

    private static List<String> errors(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages)
                .orElseThrow();
    }
}
