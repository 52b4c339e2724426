package io.cdcmesh.testkit.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.MySqlServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/** Starts real Connect workers (and a broker) whose plugin.path holds only the built and downloaded archives. */
public final class ConnectWorkers {
    private ConnectWorkers() {}

    public static EmbeddedConnectCluster start(String name) {
        LoopbackKafka.check();
        Map<String, String> worker = new HashMap<>();
        worker.put("plugin.path", ConnectStack.pluginPath() + "," + ConnectStack.extraPluginPath());
        worker.put("plugin.discovery", "service_load");
        worker.put("offset.flush.interval.ms", "500");
        worker.put("listeners", "http://127.0.0.1:0");
        worker.put("rest.advertised.host.name", "127.0.0.1");
        // One worker: a worker that lost its group (its broker away past the session timeout) gets its connectors and
        // tasks back at once, not after Connect's 5 minutes of waiting for a departed worker to return.
        worker.put("scheduled.rebalance.max.delay.ms", "0");
        Properties broker = new Properties();
        broker.put("group.initial.rebalance.delay.ms", "0");
        broker.put("auto.create.topics.enable", "false");
        EmbeddedConnectCluster cluster = new EmbeddedConnectCluster.Builder()
                .name(name)
                .numWorkers(1)
                .numBrokers(1)
                .workerProps(worker)
                .brokerProps(broker)
                .build();
        cluster.start();
        return cluster;
    }

    /**
     * A Debezium MySqlConnector config for {@code database} on the test kit's MySQL: topics {@code <prefix>.<db>.<table>}
     * created with {@code partitions} partitions, schema history in Kafka, JSON converters with schemas.
     */
    public static Map<String, String> debeziumMySqlSource(MySqlServer mysql, String bootstrapServers,
            String prefix, String database, int partitions) {
        Map<String, String> config = new HashMap<>(mysql.debeziumConnection());
        config.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        config.put("tasks.max", "1");
        config.put("topic.prefix", prefix);
        config.put("database.include.list", database);
        config.put("schema.history.internal.kafka.bootstrap.servers", bootstrapServers);
        config.put("schema.history.internal.kafka.topic", "schema-history." + prefix + "." + database);
        config.put("topic.creation.default.replication.factor", "1");
        config.put("topic.creation.default.partitions", Integer.toString(partitions));
        config.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        config.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        return config;
    }

    /** A record header as text, or null. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The class and version of every plugin the worker loaded, from its REST API. */
    public static Map<String, String> plugins(EmbeddedConnectCluster connect) throws IOException, InterruptedException {
        String url = connect.endpointForResource("connector-plugins?connectorsOnly=false");
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        Map<String, String> plugins = new HashMap<>();
        for (JsonNode plugin : new ObjectMapper().readTree(response.body())) {
            plugins.put(plugin.get("class").asText(), plugin.path("version").asText());
        }
        return plugins;
    }
}
