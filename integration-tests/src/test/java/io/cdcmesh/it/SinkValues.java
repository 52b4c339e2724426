package io.cdcmesh.it;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.hive.HiveServer;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Reading what the sinks hold for {@link TypeFidelityIT}, and comparing it with {@link TypeCases}' expectations. */
final class SinkValues {
    static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** Reads floats as doubles: the sign of a zero, which a BigDecimal drops. */
    private static final ObjectMapper DOUBLES = new ObjectMapper();

    private SinkValues() {}

    static Map<String, JsonNode> documents(ElasticsearchServer es, String index) {
        try {
            es.request("POST", "/" + index + "/_refresh", null);
            JsonNode hits = JSON.readTree(es.request("POST", "/" + index + "/_search?size=100", "{\"query\":{\"match_all\":{}}}"))
                    .path("hits").path("hits");
            Map<String, JsonNode> docs = new HashMap<>();
            hits.forEach(hit -> docs.put(hit.path("_id").asText(), hit.path("_source")));
            // Zeros keep their sign only in a reading as doubles: kept beside each document, under "_doubles".
            JsonNode doubles = DOUBLES.readTree(es.request("POST", "/" + index + "/_search?size=100", "{\"query\":{\"match_all\":{}}}"))
                    .path("hits").path("hits");
            doubles.forEach(hit -> ((com.fasterxml.jackson.databind.node.ObjectNode) docs.get(hit.path("_id").asText()))
                    .set("_doubles", hit.path("_source")));
            return docs;
        } catch (Exception e) {
            return Map.of();
        }
    }

    /** Each audit row's image columns as Hive's text (BINARY as Base64), by id. */
    static Map<String, Map<String, Object>> auditRows(HiveServer hive, String audit, boolean mariadb) {
        String columns = TypeCases.CASES.stream().filter(c -> c.on(mariadb)).map(c -> {
            String column = "after_" + c.column();
            boolean binary = List.of("b64", "bin", "vbin", "blb").contains(c.column());
            // Floats as JDBC reads them: Hive's CAST prints -0.0 as 0.0.
            boolean floating = List.of("f", "db").contains(c.column());
            return (binary ? "base64(" + column + ")" : floating ? column : "CAST(" + column + " AS STRING)") + " AS " + column;
        }).collect(Collectors.joining(", "));
        Map<String, Map<String, Object>> rows = new HashMap<>();
        for (Map<String, Object> row : hive.query("SELECT id, " + columns + " FROM " + audit)) {
            rows.put(String.valueOf(row.get("id")), row);
        }
        return rows;
    }

    /**
     * The check of an expectation too large or too source-bound to spell out in {@link TypeCases}, on the sink's text;
     * null for a plain expected value.
     */
    static Boolean computed(String expected, String text, String wkb) throws Exception {
        return switch (expected) {
            case "mib-blob" -> text.equals(Base64.getEncoder().encodeToString(mibBlob()));
            case "emoji-text" -> text.equals("\uD83D\uDE00".repeat(100_000));
            // The binlog carries JSON in binary form and Debezium prints it compactly: compare the parsed JSON.
            case "json-object" -> JSON.readTree(text).equals(JSON.readTree(TypeCases.CASES.stream()
                    .filter(k -> k.column().equals("js")).findFirst().orElseThrow().literals().get(1).replaceAll("^'|'$", "")));
            case "json-large" -> JSON.readTree(text).path("big").asText().equals("x".repeat(1_000_000))
                    && JSON.readTree(text).size() == 1;
            // Spatial values against the source's own WKB: as Base64 in Elasticsearch, in the struct's JSON in Hive.
            case "wkb" -> text.equals(wkb);
            case "point-json", "wkb-json" -> wkb != null && wkb.equals(JSON.readTree(text).path("wkb").asText());
            // A zero's sign, which a decimal reading of the number cannot show.
            case "-0.0" -> Double.compare(Double.parseDouble(text), -0.0) == 0;
            default -> expected.startsWith("instant:")
                    // Debezium writes a TIMESTAMP's zero fraction in the binlog (.000000) but not in a snapshot.
                    ? java.time.Instant.parse(expected.substring(8)).equals(java.time.Instant.parse(text)) : null;
        };
    }

    /** Numbers by value (and the sign of a zero), everything else as JSON. */
    static boolean same(JsonNode expected, JsonNode actual) {
        if (expected.isNumber() && actual.isNumber()) {
            return expected.decimalValue().compareTo(actual.decimalValue()) == 0
                    && expected.toString().startsWith("-") == actual.toString().startsWith("-");
        }
        if (expected.isObject() && actual.isObject()) {
            if (expected.size() != actual.size()) {
                return false;
            }
            for (var it = expected.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!actual.has(name) || !same(expected.get(name), actual.get(name))) {
                    return false;
                }
            }
            return true;
        }
        return expected.equals(actual);
    }

    static byte[] mibBlob() {
        byte[] pattern = {0x00, (byte) 0xFF, 0x7F, (byte) 0x80};
        byte[] blob = new byte[1 << 20];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = pattern[i % 4];
        }
        return blob;
    }

    static String abbreviate(String text) {
        return text == null ? "null" : text.length() > 120 ? text.substring(0, 120) + "... (" + text.length() + " chars)" : text;
    }

    /** Whether the condition held within the deadline: the test kit's wait, its timeout reported rather than thrown. */
    static boolean awaited(Duration timeout, java.util.function.BooleanSupplier condition) {
        try {
            io.cdcmesh.servers.Await.until(timeout, "a sink to hold what the source wrote", condition);
            return true;
        } catch (AssertionError timedOut) {
            return false;
        }
    }
}
