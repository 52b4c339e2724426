package io.cdcmesh.testkit.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.Ports;
import io.cdcmesh.servers.WorkDir;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A real distributed Kafka Connect worker in its own JVM ({@code ConnectDistributed}), with plugin.path holding only
 * the built and downloaded plugin archives. It can be killed with SIGKILL, as a crash would, and another started
 * in the same group to take over.
 */
public final class ConnectWorkerProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final int jmxPort;
    private final ManagedProcess process;
    private final Path work;

    private ConnectWorkerProcess(int port, int jmxPort, ManagedProcess process, Path work) {
        this.port = port;
        this.jmxPort = jmxPort;
        this.process = process;
        this.work = work;
    }

    public static ConnectWorkerProcess start(String bootstrapServers, String groupId, String name) throws IOException {
        return start(bootstrapServers, groupId, name, Map.of());
    }

    /**
     * Starts a worker whose environment has {@code env} added: with the env and file config providers configured, a
     * connector config can say {@code ${env:NAME}} and the worker resolves it, as in production.
     */
    public static ConnectWorkerProcess start(String bootstrapServers, String groupId, String name, Map<String, String> env)
            throws IOException {
        Path work = WorkDir.fresh("connect-" + name);
        int port = Ports.freePort();
        Path properties = work.resolve("worker.properties");
        Files.writeString(properties, String.join("\n",
                "bootstrap.servers=" + bootstrapServers,
                "group.id=" + groupId,
                "key.converter=org.apache.kafka.connect.json.JsonConverter",
                "value.converter=org.apache.kafka.connect.json.JsonConverter",
                "config.storage.topic=" + groupId + "-configs",
                "offset.storage.topic=" + groupId + "-offsets",
                "status.storage.topic=" + groupId + "-status",
                "config.storage.replication.factor=1",
                "offset.storage.replication.factor=1",
                "status.storage.replication.factor=1",
                "offset.flush.interval.ms=1000",
                "plugin.path=" + ConnectStack.pluginPath(),
                "plugin.discovery=service_load",
                "listeners=http://127.0.0.1:" + port,
                "rest.advertised.host.name=127.0.0.1",
                "rest.advertised.port=" + port,
                "session.timeout.ms=6000",
                "heartbeat.interval.ms=1000",
                "scheduled.rebalance.max.delay.ms=0",
                "config.providers=env,file",
                "config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                "config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider",
                "") );
        String classpath = ConnectStack.workerClasspath();
        int jmxPort = Ports.freePort();
        // The test kit's own classes (WorkerMain) on the worker's class path; no plugin classes.
        String testkit = testkitLocation();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx768m"));
        // Extra JVM options for the worker (e.g. a flight recording while profiling a benchmark), space-separated.
        String extra = System.getProperty("cdcmesh.worker.jvm.options", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-cp", classpath + File.pathSeparator + testkit, WorkerMain.class.getName(),
                // JMX on loopback only, so tests and benchmarks can read the sinks' metrics from outside the worker.
                Integer.toString(jmxPort), properties.toString()));
        ManagedProcess process = ManagedProcess.start("connect-" + name, command, work, work.resolve("worker.out"), env);
        ConnectWorkerProcess worker = new ConnectWorkerProcess(port, jmxPort, process, work);
        Await.until(Duration.ofSeconds(90), "Connect worker " + name + " REST API", () -> {
            if (!process.isAlive()) {
                throw new Await.Abort("Connect worker " + name + " exited; see " + process.log(), null);
            }
            return worker.status("/connectors") == 200;
        });
        return worker;
    }

    private static String testkitLocation() {
        try {
            return Path.of(WorkerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the test kit's classes", e);
        }
    }

    /** Creates or updates a connector. */
    public void put(String connector, Map<String, String> config) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/connectors/" + connector + "/config"))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("PUT " + connector + " -> " + response.statusCode() + ": " + response.body());
        }
    }

    /** Deletes a connector; its tasks stop. */
    public void delete(String connector) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/connectors/" + connector)).DELETE().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException("DELETE " + connector + " -> " + response.statusCode() + ": " + response.body());
        }
    }

    /** The states of a connector's tasks, e.g. [RUNNING, RUNNING]; empty if the worker does not know it yet. */
    public List<String> taskStates(String connector) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri("/connectors/" + connector + "/status")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return List.of();
            }
            JsonNode status = JSON.readTree(response.body());
            return StreamSupport.stream(status.path("tasks").spliterator(), false)
                    .map(t -> t.path("state").asText()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    /** The connector's status document (tasks, states, a failed task's trace), or the error that prevented reading it. */
    public String statusJson(String connector) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri("/connectors/" + connector + "/status")).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "status unavailable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Connects to the worker's MBean server (loopback JMX); the caller closes the connector. */
    public JMXConnector jmx() throws IOException {
        return JMXConnectorFactory.connect(new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
    }

    /** The worker's own output: what it logged at WARN and above (the test kit's log4j2-test.xml), and its stderr. */
    public Path log() {
        return process.log();
    }

    /** Everything the worker logged at INFO and above: the test kit's log4j2-test.xml writes it under the work directory. */
    public Path fullLog() {
        return work.resolve("target/test.log");
    }

    public long pid() {
        return process.pid();
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no clean shutdown, no last offset commit. */
    public void kill() {
        process.kill();
    }

    @Override
    public void close() {
        process.close();
    }
}
