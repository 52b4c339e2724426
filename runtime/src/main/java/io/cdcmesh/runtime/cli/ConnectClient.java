package io.cdcmesh.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** Kafka Connect's REST API, with the JDK's HTTP client and Jackson. */
final class ConnectClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The worker answered with an error status. */
    static final class ApiException extends IOException {
        final int status;

        ApiException(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The worker could not be reached at all. */
    static final class UnreachableException extends IOException {
        UnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Duration REBALANCE_WAIT = Duration.ofSeconds(60);

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ConnectClient(String url) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
    }

    String url() {
        return base.toString();
    }

    /** PUT /connector-plugins/{class}/config/validate: the worker's verdict on every key. */
    JsonNode validate(String connectorClass, Map<String, String> config) throws IOException, InterruptedException {
        return send("PUT", "connector-plugins/" + encode(connectorClass) + "/config/validate", config);
    }

    /** GET /connectors/{name}/config, or null if there is no such connector. */
    JsonNode config(String name) throws IOException, InterruptedException {
        try {
            return send("GET", "connectors/" + encode(name) + "/config", null);
        } catch (ApiException e) {
            if (e.status == 404) {
                return null;
            }
            throw e;
        }
    }

    JsonNode putConfig(String name, Map<String, String> config) throws IOException, InterruptedException {
        return send("PUT", "connectors/" + encode(name) + "/config", config);
    }

    /** GET /connectors/{name}/status, or null if there is no such connector. */
    JsonNode status(String name) throws IOException, InterruptedException {
        try {
            return send("GET", "connectors/" + encode(name) + "/status", null);
        } catch (ApiException e) {
            if (e.status == 404) {
                return null;
            }
            throw e;
        }
    }

    JsonNode connectors() throws IOException, InterruptedException {
        return send("GET", "connectors", null);
    }

    void pause(String name) throws IOException, InterruptedException {
        send("PUT", "connectors/" + encode(name) + "/pause", null);
    }

    void resume(String name) throws IOException, InterruptedException {
        send("PUT", "connectors/" + encode(name) + "/resume", null);
    }

    /** POST /connectors/{name}/restart?includeTasks=true&onlyFailed=... */
    void restart(String name, boolean onlyFailed) throws IOException, InterruptedException {
        send("POST", "connectors/" + encode(name) + "/restart?includeTasks=true&onlyFailed=" + onlyFailed, null);
    }

    /**
     * Sends the request; while the worker's group is rebalancing (HTTP 409, or 500 "a rebalance is expected", both
     * transient right after connectors are created or a worker joins), tries again for up to a minute.
     */
    private JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + REBALANCE_WAIT.toNanos();
        for (int attempt = 1; ; attempt++) {
            try {
                return sendOnce(method, path, body);
            } catch (ApiException e) {
                boolean rebalancing = e.status == 409 || (e.status == 500 && e.getMessage().contains("rebalance"));
                if (!rebalancing || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(Math.min(2_000, 250L * attempt)); // backoff while the group settles, bounded by the deadline
            }
        }
    }

    private JsonNode sendOnce(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Accept", "application/json");
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new UnreachableException("Kafka Connect at " + base + " is not reachable: " + e, e);
        }
        JsonNode json = response.body() == null || response.body().isBlank() ? JSON.nullNode() : parse(response.body());
        if (response.statusCode() >= 300) {
            String message = json.path("message").asText(response.body());
            throw new ApiException(response.statusCode(), method + " " + path + " -> HTTP " + response.statusCode() + ": " + message);
        }
        return json;
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    private static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
