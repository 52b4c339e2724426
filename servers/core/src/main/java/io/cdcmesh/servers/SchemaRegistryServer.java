package io.cdcmesh.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real Apicurio Registry 2.x (its Quarkus server, in-memory storage) in its own JVM on a loopback port. It serves
 * the Confluent Schema Registry API at {@link #confluentUrl()} and Apicurio's own at {@link #apicurioUrl()}.
 *
 * <p>Clients reach it through a {@link TcpGate}, so a test can make it unreachable ({@link #blockClients()}) and
 * reachable again without a restart: an in-memory registry that restarts forgets its schemas and reuses ids.
 */
public final class SchemaRegistryServer implements AutoCloseable {
    /** System property naming the unpacked {@code apicurio-registry-app} tar.gz (the runner jar and lib/). */
    public static final String HOME_PROPERTY = "cdcmesh.schema.registry";
    private static final String RUNNER = "apicurio-registry-app-2.6.13.Final-runner.jar";

    private final Path home;
    private final Path work;
    private final int port;
    private final HttpCalls http = new HttpCalls("application/vnd.schemaregistry.v1+json");
    private ManagedProcess process;
    private TcpGate gate;

    SchemaRegistryServer() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured == null || !Files.isRegularFile(Path.of(configured, RUNNER))) {
            throw new IllegalStateException("System property " + HOME_PROPERTY + " must name the unpacked"
                    + " apicurio-registry-app tar.gz (the build's unpack-schema-registry execution does that); got " + configured);
        }
        this.home = Path.of(configured).toAbsolutePath();
        this.work = WorkDir.fresh("schema-registry");
        this.port = Ports.freePort();
    }

    /** Starts a registry outside JUnit (tools, benchmarks); the caller closes it. */
    public static SchemaRegistryServer launch() {
        return new SchemaRegistryServer().start();
    }

    private SchemaRegistryServer start() {
        long started = System.nanoTime();
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-Djava.io.tmpdir=" + work,
                "-Dquarkus.http.host=" + Ports.LOOPBACK, "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.enabled=false", "-Dquarkus.log.console.color=false",
                "-jar", home.resolve(RUNNER).toString());
        Path log = work.resolve("registry.out");
        process = ManagedProcess.start("schema-registry", command, work, log, Map.of());
        Await.until(Duration.ofSeconds(120), "the schema registry on port " + port + " to be ready", () -> {
            if (!process.isAlive()) {
                throw new Await.Abort("The schema registry exited while starting:\n" + TextFiles.tail(log, 40), null);
            }
            return status("http://" + Ports.LOOPBACK + ":" + port + "/health/ready") == 200;
        });
        gate = TcpGate.open("schema-registry", port);
        System.out.printf("[testkit] schema registry ready on 127.0.0.1:%d (clients via %d) in %d ms (pid %d)%n",
                port, gate.port(), (System.nanoTime() - started) / 1_000_000, process.pid());
        return this;
    }

    /** The Confluent Schema Registry API, e.g. for {@code schema.registry.url} or {@code cdc-mesh schemas check}. */
    public String confluentUrl() {
        return base() + "/apis/ccompat/v7";
    }

    /** Apicurio's own API, for its converters' {@code apicurio.registry.url}. */
    public String apicurioUrl() {
        return base() + "/apis/registry/v2";
    }

    private String base() {
        return "http://" + Ports.LOOPBACK + ":" + gate.port();
    }

    /** Clients can no longer connect (connections refused, open ones cut); the registry keeps running and its schemas. */
    public void blockClients() {
        gate.shut();
    }

    public void unblockClients() {
        gate.open("schema-registry");
    }

    /** Sets the registry-wide compatibility level (BACKWARD, FORWARD, FULL, NONE, ...) through the Confluent API. */
    public void setCompatibility(String level) {
        request("PUT", "/config", "{\"compatibility\":\"" + level + "\"}");
    }

    /** A request to the Confluent API (path relative to it), returning the body; fails on any status of 300 or more. */
    public String request(String method, String path, String jsonBody) {
        return http.request(method, confluentUrl() + path, jsonBody);
    }

    private int status(String url) {
        return http.status(url);
    }

    @Override
    public void close() {
        if (gate != null) {
            gate.close();
        }
        if (process != null) {
            process.close();
            process = null;
        }
    }
}
