package org.apache.kafka.common.test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.server.ServerSocketFactory;

/**
 * The test kit's replacement for the Kafka test-kit class of this name (kafka-test-common-runtime 4.1.x), through
 * which {@code EmbeddedKafkaCluster} and {@code EmbeddedConnectCluster} bind every node's listener sockets before the
 * node starts. Kafka's binds them to the wildcard address, so test brokers would listen on every interface; this
 * one binds them to the loopback address, as every server the tests start must. It keeps the public API Kafka's
 * {@code KafkaClusterTestKit} calls, and comes first on the class path because the test kit's own classes precede
 * its dependencies; {@link io.cdcmesh.testkit.connect.LoopbackKafka#check()} fails a run that loaded Kafka's.
 */
public class PreboundSocketFactoryManager implements AutoCloseable {
    /** Read by the test kit to tell this class from Kafka's. */
    public static final String BINDS = "loopback";

    private final Map<Integer, Map<String, ServerSocketChannel>> sockets = new HashMap<>();
    private final Map<Integer, Set<String>> used = new HashMap<>();
    private final Map<Integer, ServerSocketFactory> factories = new HashMap<>();
    private boolean closed;

    /** The socket bound for a node's listener, marked as taken by the node; null if none was bound. */
    public synchronized ServerSocketChannel getSocketForListenerAndMarkAsUsed(int nodeId, String listener) {
        Map<String, ServerSocketChannel> node = sockets.get(nodeId);
        ServerSocketChannel socket = node == null ? null : node.get(listener);
        if (socket != null) {
            used.computeIfAbsent(nodeId, id -> new HashSet<>()).add(listener);
        }
        return socket;
    }

    /** The factory a node opens its listeners with: the bound socket if there is one, else a new loopback one. */
    public synchronized ServerSocketFactory getOrCreateSocketFactory(int nodeId) {
        return factories.computeIfAbsent(nodeId, id -> (listener, address, backlog, receiveBuffer) -> {
            ServerSocketChannel bound = getSocketForListenerAndMarkAsUsed(id, listener);
            if (bound != null) {
                if (bound.isOpen()) {
                    return bound;
                }
                // A node restarted after its socket was closed: bind the same port again, still on loopback.
                int port = ((InetSocketAddress) bound.socket().getLocalSocketAddress()).getPort();
                return ServerSocketFactory.INSTANCE.openServerSocket(listener, loopback(port), backlog, receiveBuffer);
            }
            return ServerSocketFactory.INSTANCE.openServerSocket(listener,
                    address.getAddress() != null && address.getAddress().isAnyLocalAddress() ? loopback(address.getPort()) : address,
                    backlog, receiveBuffer);
        });
    }

    /** Binds a loopback socket for a node's listener (once) and returns its port. */
    public synchronized int getOrCreatePortForListener(int nodeId, String listener) throws IOException {
        Map<String, ServerSocketChannel> node = sockets.computeIfAbsent(nodeId, id -> new HashMap<>());
        ServerSocketChannel socket = node.get(listener);
        if (socket == null) {
            if (closed) {
                throw new RuntimeException("Cannot open new socket: manager is closed.");
            }
            socket = ServerSocketFactory.INSTANCE.openServerSocket(listener, loopback(0), -1, -1);
            node.put(listener, socket);
        }
        return ((InetSocketAddress) socket.getLocalAddress()).getPort();
    }

    /** Closes the sockets no node took over (a node closes its own). */
    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        for (Map.Entry<Integer, Map<String, ServerSocketChannel>> node : sockets.entrySet()) {
            Set<String> taken = used.getOrDefault(node.getKey(), Set.of());
            for (Map.Entry<String, ServerSocketChannel> socket : node.getValue().entrySet()) {
                if (!taken.contains(socket.getKey())) {
                    try {
                        socket.getValue().close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        }
    }

    private static InetSocketAddress loopback(int port) {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }
}
