package io.cdcmesh.servers;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP forwarder in front of a server, to make the server unreachable without stopping it (a server
 * that keeps its state in memory, like the test kit's schema registry, would lose it). While closed, the gate's
 * port refuses connections and every connection through it has been cut, as when a network path goes away.
 */
public final class TcpGate implements AutoCloseable {
    private final int port;
    private final int upstreamPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    private TcpGate(int port, int upstreamPort) {
        this.port = port;
        this.upstreamPort = upstreamPort;
    }

    /** Opens a gate on a free loopback port that forwards to {@code upstreamPort} on loopback. */
    public static TcpGate open(String name, int upstreamPort) {
        TcpGate gate = new TcpGate(Ports.freePort(), upstreamPort);
        gate.open(name);
        return gate;
    }

    public int port() {
        return port;
    }

    /** Reopens the gate on the same port. */
    public synchronized void open(String name) {
        if (server != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(Ports.LOOPBACK), port), 50);
            server = socket;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ServerSocket listening = server;
        Thread acceptor = new Thread(() -> accept(listening), "tcp-gate-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes the gate: new connections are refused and open ones are cut. */
    public synchronized void shut() {
        if (server == null) {
            return;
        }
        closeQuietly(server);
        server = null;
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    public synchronized boolean isOpen() {
        return server != null;
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException e) {
                return;
            }
            Socket upstream = new Socket();
            try {
                upstream.connect(new InetSocketAddress(Ports.LOOPBACK, upstreamPort), 2_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(upstream);
                continue;
            }
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16_384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // the other side or the gate closed the connection
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-gate-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        shut();
    }
}
