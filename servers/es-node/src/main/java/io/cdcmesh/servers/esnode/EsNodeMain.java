package io.cdcmesh.servers.esnode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.elasticsearch.common.logging.LogConfigurator;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.node.Node;
import org.elasticsearch.plugins.PluginsLoader;

/**
 * Runs one real Elasticsearch node on loopback until its standard input closes (the test JVM that started it
 * stopped or died) or it is sent SIGTERM.
 *
 * <p>Arguments: the node home (lib/ and modules/ of this zip), a work directory for data and logs, the HTTP
 * port, the transport port.
 */
public final class EsNodeMain {
    private EsNodeMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath();
        Path work = Path.of(args[1]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[2]);
        int transportPort = Integer.parseInt(args[3]);
        Path config = Files.createDirectories(work.resolve("config"));
        Files.createDirectories(home.resolve("plugins"));
        Settings settings = Settings.builder()
                .put("path.home", home.toString())
                .put("path.data", Files.createDirectories(work.resolve("data")).toString())
                .put("path.logs", Files.createDirectories(work.resolve("logs")).toString())
                .put("cluster.name", "cdcmesh-test")
                .put("node.name", "cdcmesh-test-node")
                .put("discovery.type", "single-node")
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort)
                .put("transport.port", transportPort)
                .put("cluster.routing.allocation.disk.threshold_enabled", false)
                .put("action.auto_create_index", true)
                .build();
        LogConfigurator.configureESLogging();
        LogConfigurator.configureWithoutConfig(settings);
        Environment environment = new Environment(settings, config);
        PluginsLoader plugins = PluginsLoader.createPluginsLoader(
                PluginsLoader.loadModulesBundles(home.resolve("modules")),
                PluginsLoader.loadPluginsBundles(home.resolve("plugins")),
                Map.of(), false);
        Node node = new Node(environment, plugins).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(node), "es-node-shutdown"));
        System.out.println("cdcmesh es-node started on http://127.0.0.1:" + httpPort);
        System.out.flush();
        while (System.in.read() != -1) {
            // the parent never writes; end of input means it is gone
        }
        closeQuietly(node);
        System.exit(0);
    }

    private static void closeQuietly(Node node) {
        try {
            node.close();
        } catch (Exception e) {
            e.printStackTrace();
        }
    }
}
