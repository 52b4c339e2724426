package io.cdcmesh.sink.elasticsearch;

import static io.cdcmesh.sink.elasticsearch.Events.ROW_V1;
import static io.cdcmesh.sink.elasticsearch.Events.title;
import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.Await;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.servers.TlsProxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink over HTTPS with basic authentication or an API key, against a real TLS endpoint (nginx) in front of a real node. */
@ExtendWith(ElasticsearchExtension.class)
class HttpsAuthenticationIT {
    private static final TopicPartition PARTITION = new TopicPartition(Events.TOPIC, 0);

    private static Map<String, String> props(TlsProxy proxy, String password, boolean trust) {
        Map<String, String> props = new HashMap<>();
        props.put("name", "https-it");
        props.put("connection.url", proxy.url());
        props.put("connection.username", proxy.user());
        props.put("connection.password", password);
        if (trust) {
            props.put("connection.ssl.truststore.location", proxy.truststore().toString());
            props.put("connection.ssl.truststore.password", TlsProxy.TRUSTSTORE_PASSWORD);
        }
        props.put("topic.index.map", Events.TOPIC + ":titles-https");
        props.put("index.replicas", "0");
        return props;
    }

    @Test
    void indexesOverHttpsWithBasicAuthAndValidationNamesWrongCredentialsAndUntrustedCertificates(ElasticsearchServer es)
            throws Exception {
        try (TlsProxy proxy = TlsProxy.start("es", es.httpPort(), "cdc", "s3cret-pass")) {
            assertThat(errors(new ElasticsearchSinkConnector().validate(props(proxy, "s3cret-pass", true)))).isEmpty();
            assertThat(errors(new ElasticsearchSinkConnector().validate(props(proxy, "wrong", true))))
                    .anySatisfy(m -> assertThat(m).startsWith("connection.url: ").contains("401"));
            assertThat(errors(new ElasticsearchSinkConnector().validate(props(proxy, "s3cret-pass", false))))
                    .anySatisfy(m -> assertThat(m).startsWith("connection.url: ").containsIgnoringCase("certif"));

            ElasticsearchSinkTask task = new ElasticsearchSinkTask();
            task.initialize(new RecordingSinkContext(PARTITION));
            task.start(props(proxy, "s3cret-pass", true));
            try {
                Events events = new Events();
                task.put(List.of(events.event("CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "1.00"), 10),
                        events.event("CREATE", null, title(ROW_V1, 2, "Undertow", 20_001, "2.00"), 11)));
                TaskAcks.awaitCommittable(task, 2, Duration.ofSeconds(60));
            } finally {
                task.stop();
            }
            assertThat(ElasticsearchSinkTaskIT.documents(es, "titles-https")).containsOnlyKeys("1", "2");

            ElasticsearchSinkTask refused = new ElasticsearchSinkTask();
            refused.initialize(new RecordingSinkContext(PARTITION));
            refused.start(props(proxy, "wrong", true));
            try {
                refused.put(List.of(new Events().event("CREATE", null, title(ROW_V1, 3, "Lighthouse", 20_002, null), 0)));
                Map<TopicPartition, OffsetAndMetadata> current = Map.of(PARTITION, new OffsetAndMetadata(1));
                org.apache.kafka.connect.errors.ConnectException failure = Await.value(Duration.ofSeconds(30),
                        "the task to give up on refused credentials", () -> {
                            try {
                                refused.preCommit(current);
                                return null;
                            } catch (org.apache.kafka.connect.errors.ConnectException e) {
                                return e;
                            }
                        }, e -> e != null);
                assertThat(failure.getMessage()).contains("401").contains("connection.password").doesNotContain("wrong");
            } finally {
                refused.stop();
            }
        }
    }

    @Test
    void indexesOverHttpsWithAnApiKeyAndValidationNamesAWrongOne(ElasticsearchServer es) throws Exception {
        String key = "VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==";
        try (TlsProxy proxy = TlsProxy.startWithApiKey("es-api-key", es.httpPort(), key)) {
            Map<String, String> props = props(proxy, null, true);
            props.remove("connection.username");
            props.remove("connection.password");
            props.put("connection.api.key", key);
            props.put("topic.index.map", Events.TOPIC + ":titles-api-key");
            assertThat(errors(new ElasticsearchSinkConnector().validate(props))).isEmpty();
            Map<String, String> wrong = new HashMap<>(props);
            wrong.put("connection.api.key", "bm90LXRoZS1rZXk=");
            assertThat(errors(new ElasticsearchSinkConnector().validate(wrong)))
                    .anySatisfy(m -> assertThat(m).startsWith("connection.url: ").contains("401").doesNotContain("bm90LXRoZS1rZXk="));
            Map<String, String> both = new HashMap<>(props);
            both.put("connection.username", "cdc");
            both.put("connection.password", "x");
            assertThat(errors(new ElasticsearchSinkConnector().validate(both))).anySatisfy(m -> assertThat(m).startsWith("connection.api.key: "));

            ElasticsearchSinkTask task = new ElasticsearchSinkTask();
            task.initialize(new RecordingSinkContext(PARTITION));
            task.start(props);
            try {
                task.put(List.of(new Events().event("CREATE", null, title(ROW_V1, 1, "Orbit", 20_000, "1.00"), 0)));
                TaskAcks.awaitCommittable(task, 1, Duration.ofSeconds(60));
            } finally {
                task.stop();
            }
            assertThat(ElasticsearchSinkTaskIT.documents(es, "titles-api-key")).containsOnlyKeys("1");
        }
    }

    private static List<String> errors(Config config) {
        return config.configValues().stream().flatMap((ConfigValue v) -> v.errorMessages().stream().map(m -> v.name() + ": " + m))
                .toList();
    }
}
