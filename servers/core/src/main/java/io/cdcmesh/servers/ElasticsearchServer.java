package io.cdcmesh.servers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real single-node Elasticsearch (the official server jars) in its own JVM, on loopback ports chosen free at
 * run time, with its data under the test kit's work directory. It can be stopped and started again on the same
 * ports and data, to test outages; it also stops if the test JVM dies (it exits when its standard input closes).
 */
public final class ElasticsearchServer implements AutoCloseable {
    /** System property naming the unpacked {@code cdc-mesh-servers-es-node} zip (lib/ and modules/). */
    public static final String NODE_HOME_PROPERTY = "cdcmesh.es.node";

    private final Path nodeHome;
    private final Path work;
    private final int httpPort;
    private final int transportPort;
    private final HttpCalls http = new HttpCalls("application/json");
    private ManagedProcess process;

    ElasticsearchServer() {
        String home = System.getProperty(NODE_HOME_PROPERTY);
        if (home == null || !Files.isDirectory(Path.of(home, "lib"))) {
            throw new IllegalStateException("System property " + NODE_HOME_PROPERTY + " must name the unpacked"
                    + " cdc-mesh-servers-es-node zip (the build's unpack-es-node execution does that); got " + home);
        }
        this.nodeHome = Path.of(home).toAbsolutePath();
        this.work = WorkDir.fresh("elasticsearch");
        this.httpPort = Ports.freePort();
        this.transportPort = Ports.freePort();
    }

    /** Starts a new node outside JUnit (benchmarks, tools); the caller closes it. */
    public static ElasticsearchServer launch() {
        return new ElasticsearchServer().start();
    }

    /** Starts the node (again, after {@link #stop()}, on the same ports and data) and waits until its primaries are up (yellow or green). */
    public synchronized ElasticsearchServer start() {
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xms256m", "-Xmx1g", "-XX:+UseG1GC", "-Djava.io.tmpdir=" + work,
                "-cp", nodeHome.resolve("lib") + "/*",
                "io.cdcmesh.servers.esnode.EsNodeMain",
                nodeHome.toString(), work.toString(), Integer.toString(httpPort), Integer.toString(transportPort)));
        Path log = work.resolve("node.out");
        process = ManagedProcess.start("elasticsearch", command, work, log, Map.of());
        Await.until(Duration.ofSeconds(120), "Elasticsearch on port " + httpPort + " to report green", () -> {
            if (!process.isAlive()) {
                throw new Await.Abort("Elasticsearch exited while starting:\n" + TextFiles.tail(log, 40), null);
            }
            return status("/_cluster/health?wait_for_status=yellow&timeout=1s") == 200;
        });
        System.out.printf("[testkit] elasticsearch ready on 127.0.0.1:%d in %d ms (pid %d)%n",
                httpPort, (System.nanoTime() - started) / 1_000_000, process.pid());
        return this;
    }

    /** Stops the node gracefully; its data stays for {@link #start()}. */
    public synchronized void stop() {
        if (process != null) {
            process.close();
            process = null;
        }
    }

    /** Kills the node at once (SIGKILL), as a crash would. */
    public synchronized void kill() {
        if (process != null) {
            process.kill();
            process = null;
        }
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The node's process id, while it runs. */
    public synchronized long pid() {
        return process.pid();
    }

    public String url() {
        return "http://" + Ports.LOOPBACK + ":" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** GET {@code path} and return the HTTP status, or -1 if the node does not answer. */
    public int status(String path) {
        return http.status(url() + path);
    }

    /** A request to the node, returning the body; fails on any status of 300 or more. */
    public String request(String method, String path, String jsonBody) {
        return http.request(method, url() + path, jsonBody);
    }

    @Override
    public void close() {
        stop();
    }
}
