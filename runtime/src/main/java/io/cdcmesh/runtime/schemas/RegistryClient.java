package io.cdcmesh.runtime.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The parts of the Confluent Schema Registry REST API that {@code schemas check} reads (Apicurio serves it too). */
final class RegistryClient {
    /** The registry could not be reached, or answered with an error. */
    static final class RegistryException extends IOException {
        RegistryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    record Version(int version, int id, String schema) {}

    record Verdict(boolean compatible, List<String> messages) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    RegistryClient(String url) {
        this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    String url() {
        return url;
    }

    /** The subject's latest version, or null if the registry has no such subject. */
    Version latest(String subject) throws RegistryException {
        return version(subject, "latest");
    }

    Version version(String subject, String version) throws RegistryException {
        JsonNode body = get("/subjects/" + encode(subject) + "/versions/" + version);
        return body == null ? null : new Version(body.path("version").asInt(), body.path("id").asInt(), body.path("schema").asText());
    }

    /** Every version number of the subject, oldest first. */
    List<Integer> versions(String subject) throws RegistryException {
        JsonNode body = get("/subjects/" + encode(subject) + "/versions");
        List<Integer> versions = new ArrayList<>();
        if (body != null) {
            body.forEach(v -> versions.add(v.asInt()));
        }
        return versions;
    }

    /**
     * The subject's compatibility level, else the registry's, else BACKWARD (the Confluent default). A subject-level
     * NONE counts as unset: Apicurio answers NONE for every subject that has no rule of its own.
     */
    String compatibility(String subject) throws RegistryException {
        JsonNode own = get("/config/" + encode(subject));
        if (own != null && own.hasNonNull("compatibilityLevel") && !own.get("compatibilityLevel").asText().equals("NONE")) {
            return own.get("compatibilityLevel").asText();
        }
        JsonNode global = get("/config");
        if (global != null && global.hasNonNull("compatibilityLevel")) {
            return global.get("compatibilityLevel").asText();
        }
        return "BACKWARD";
    }

    /** The registry's own verdict on {@code schema} against the subject's latest version. */
    Verdict check(String subject, String schema) throws RegistryException {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema, "schemaType", "AVRO"));
        } catch (IOException e) {
            throw new RegistryException("cannot encode a schema: " + e.getMessage(), e);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + "/compatibility/subjects/" + encode(subject)
                + "/versions/latest?verbose=true")).header("Content-Type", CONTENT_TYPE).POST(HttpRequest.BodyPublishers.ofString(body)));
        JsonNode answer = parse(response, "POST /compatibility/subjects/" + subject);
        List<String> messages = new ArrayList<>();
        answer.path("messages").forEach(m -> messages.add(m.asText()));
        if (answer.hasNonNull("reason")) {
            messages.add(answer.get("reason").asText());
        }
        return new Verdict(answer.path("is_compatible").asBoolean(false), messages);
    }

    private JsonNode get(String path) throws RegistryException {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url + path)).header("Accept", CONTENT_TYPE).GET());
        if (response.statusCode() == 404) {
            return null;
        }
        return parse(response, "GET " + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws RegistryException {
        try {
            return http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RegistryException("the schema registry at " + url + " could not be reached: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted", e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response, String what) throws RegistryException {
        if (response.statusCode() >= 300) {
            throw new RegistryException(what + " -> HTTP " + response.statusCode() + ": " + response.body(), null);
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new RegistryException(what + " answered something that is not JSON: " + response.body(), e);
        }
    }

    private static String encode(String subject) {
        return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
