package io.cdcmesh.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real nginx (Debian's nginx-light) on a free loopback port that terminates HTTPS with basic authentication in
 * front of a plain-HTTP server, e.g. the test kit's Elasticsearch node. It makes its own self-signed certificate
 * (for IP 127.0.0.1), password file and a PKCS12 trust store that holds the certificate.
 */
public final class TlsProxy implements AutoCloseable {
    public static final String TRUSTSTORE_PASSWORD = "changeit";

    private final Path dir;
    private final int port;
    private final String user;
    private final String password;
    private final ManagedProcess process;

    private TlsProxy(Path dir, int port, String user, String password, ManagedProcess process) {
        this.dir = dir;
        this.port = port;
        this.user = user;
        this.password = password;
        this.process = process;
    }

    /** HTTPS with basic authentication: {@code user} and {@code password}. */
    public static TlsProxy start(String name, int upstreamPort, String user, String password) {
        return start(name, upstreamPort, user, password, null);
    }

    /** HTTPS that admits only requests carrying {@code Authorization: ApiKey <apiKey>}, as Elasticsearch's API keys do. */
    public static TlsProxy startWithApiKey(String name, int upstreamPort, String apiKey) {
        return start(name, upstreamPort, null, null, apiKey);
    }

    private static TlsProxy start(String name, int upstreamPort, String user, String password, String apiKey) {
        Path dir = WorkDir.fresh("tls-" + name);
        try {
            Files.createDirectories(dir.resolve("tmp"));
            run(dir, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", "key.pem", "-out", "cert.pem");
            String authentication;
            if (apiKey == null) {
                String hash = run(dir, "openssl", "passwd", "-apr1", password).trim();
                Files.writeString(dir.resolve("htpasswd"), user + ":" + hash + "\n");
                authentication = "    auth_basic \"cdc-mesh test\";\n    auth_basic_user_file " + dir.resolve("htpasswd") + ";";
            } else {
                authentication = "    if ($http_authorization != \"ApiKey " + apiKey + "\") { return 401; }";
            }
            run(dir, Path.of(System.getProperty("java.home"), "bin", "keytool").toString(), "-importcert", "-noprompt",
                    "-alias", "proxy", "-file", "cert.pem", "-keystore", "truststore.p12", "-storetype", "PKCS12",
                    "-storepass", TRUSTSTORE_PASSWORD);
            int port = Ports.freePort();
            Path tmp = dir.resolve("tmp");
            Files.writeString(dir.resolve("nginx.conf"), String.join("\n",
                    "daemon off;",
                    "master_process off;",
                    "worker_processes 1;",
                    "pid " + dir.resolve("nginx.pid") + ";",
                    "error_log " + dir.resolve("error.log") + " warn;",
                    "events { worker_connections 256; }",
                    "http {",
                    "  access_log off;",
                    "  client_body_temp_path " + tmp + "/body;",
                    "  proxy_temp_path " + tmp + "/proxy;",
                    "  fastcgi_temp_path " + tmp + "/fastcgi;",
                    "  uwsgi_temp_path " + tmp + "/uwsgi;",
                    "  scgi_temp_path " + tmp + "/scgi;",
                    "  client_max_body_size 200m;",
                    "  server {",
                    "    listen 127.0.0.1:" + port + " ssl;",
                    "    ssl_certificate " + dir.resolve("cert.pem") + ";",
                    "    ssl_certificate_key " + dir.resolve("key.pem") + ";",
                    authentication,
                    "    location / {",
                    "      proxy_pass http://127.0.0.1:" + upstreamPort + ";",
                    "      proxy_http_version 1.1;",
                    "      proxy_set_header Connection \"\";",
                    "      proxy_set_header Authorization \"\";",
                    "    }",
                    "  }",
                    "}", ""));
            String nginx = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
            ManagedProcess process = ManagedProcess.start("nginx-" + name,
                    List.of(nginx, "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString(), "-e", dir.resolve("error.log").toString()),
                    dir, dir.resolve("nginx.out"), Map.of());
            Await.until(Duration.ofSeconds(20), "nginx on port " + port, () -> {
                if (!process.isAlive()) {
                    throw new Await.Abort("nginx exited:\n" + TextFiles.tail(dir.resolve("error.log"), 20), null);
                }
                return Ports.isOpen(port);
            });
            return new TlsProxy(dir, port, user, password, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String run(Path dir, String... command) throws IOException {
        Path out = dir.resolve("step.out");
        Files.deleteIfExists(out);
        ManagedProcess.run(command[0], List.of(command), dir, out, Map.of(), 60);
        return Files.readString(out);
    }

    public String url() {
        return "https://127.0.0.1:" + port;
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    public String user() {
        return user;
    }

    public String password() {
        return password;
    }

    @Override
    public void close() {
        process.close();
    }
}
