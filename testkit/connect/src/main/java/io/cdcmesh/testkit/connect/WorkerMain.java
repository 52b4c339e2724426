package io.cdcmesh.testkit.connect;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import org.apache.kafka.connect.cli.ConnectDistributed;

/**
 * Starts a Connect worker ({@code ConnectDistributed}) with its MBeans served over JMX on a loopback port, so that
 * tests and benchmarks can read the sinks' metrics from outside. The JDK's own agent
 * ({@code -Dcom.sun.management.jmxremote.port}) also starts a local connector that listens on every interface;
 * this serves the RMI registry and the connector on one port bound to 127.0.0.1 and nothing else.
 *
 * <p>Arguments: the JMX port, then ConnectDistributed's arguments.
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String[] worker = new String[args.length - 1];
        System.arraycopy(args, 1, worker, 0, worker.length);
        serveJmx(port);
        ConnectDistributed.main(worker);
    }

    private static void serveJmx(int port) throws IOException {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        RMIServerSocketFactory loopback = new LoopbackSockets();
        LocateRegistry.createRegistry(port, null, loopback);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://127.0.0.1:" + port + "/jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
        Map<String, Object> environment = Map.of(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, loopback);
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, environment,
                ManagementFactory.getPlatformMBeanServer());
        server.start();
    }

    /** Server sockets on the loopback address; equal to each other, so RMI shares one port between its exports. */
    private static final class LoopbackSockets implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackSockets;
        }

        @Override
        public int hashCode() {
            return LoopbackSockets.class.hashCode();
        }
    }
}
