package io.cdcmesh.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.SqlServer;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reading a source table and an index in the same shape, to compare them field by field. */
final class IndexComparisons {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IndexComparisons() {}

    /** Each row as the sink indexes it: DATE and DATETIME as ISO text, DECIMAL as a number, ids as the event's id. */
    static Map<String, Map<String, Object>> sourceRows(SqlServer server, String db, String table) throws Exception {
        Map<String, Map<String, Object>> rows = new TreeMap<>();
        try (Connection c = server.connect(db); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = rs.getObject(i);
                    if (value instanceof java.sql.Date d) {
                        value = d.toLocalDate().toString();
                    } else if (value instanceof LocalDateTime t) {
                        value = t.toString();
                    } else if (value instanceof java.sql.Timestamp t) {
                        value = t.toLocalDateTime().toString();
                    } else if (value instanceof BigDecimal d) {
                        value = d.stripTrailingZeros();
                    } else if (value instanceof Number n) {
                        value = new BigDecimal(n.toString()).stripTrailingZeros();
                    }
                    row.put(meta.getColumnLabel(i), value);
                }
                String id = "credits".equals(table) ? escape(row.get("person")) + "|" + escape(row.get("title_id"))
                        : escape(row.get("id"));
                rows.put(id, row);
            }
        }
        return rows;
    }

    static String escape(Object value) {
        String text = value instanceof BigDecimal d ? d.toPlainString() : String.valueOf(value);
        return text.replace("\\", "\\\\").replace("|", "\\|");
    }

    /**
     * Waits until {@code db.table}'s index holds exactly the table's rows, field by field (sinks may still be catching
     * up); on a timeout, fails listing the first differences.
     */
    static void awaitIndexEqualsTable(SqlServer server, ElasticsearchServer es, String db, String table, Duration timeout)
            throws Exception {
        String index = db + "." + table;
        Map<String, Map<String, Object>> rows = sourceRows(server, db, table);
        List<String> differences = new ArrayList<>();
        try {
            Await.until(timeout, index + " to equal its table", () -> {
                differences.clear();
                differences.addAll(differences(rows, documentsUnchecked(es, index)));
                return differences.isEmpty();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; " + differences.size() + " differences, the first: "
                    + differences.stream().limit(10).toList(), e);
        }
    }

    private static List<String> differences(Map<String, Map<String, Object>> rows, Map<String, JsonNode> documents) {
        List<String> differences = new ArrayList<>();
        documents.keySet().stream().filter(id -> !rows.containsKey(id)).forEach(id -> differences.add("extra document " + id));
        rows.forEach((id, row) -> {
            JsonNode document = documents.get(id);
            if (document == null) {
                differences.add("missing document " + id);
                return;
            }
            row.forEach((column, value) -> {
                Object indexed = normalize(document.get(column));
                if (!java.util.Objects.equals(indexed, value)) {
                    differences.add(id + "." + column + ": " + indexed + " in the index, " + value + " in the table");
                }
            });
        });
        return differences;
    }

    static Object normalize(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue().stripTrailingZeros();
        }
        return node.asText();
    }

    static long count(ElasticsearchServer es, String index) {
        try {
            es.request("POST", "/" + index + "/_refresh", null);
            return JSON.readTree(es.request("GET", "/" + index + "/_count", null)).path("count").asLong();
        } catch (Exception e) {
            return -1;
        }
    }

    static String first(java.util.Set<String> ids) {
        return ids.stream().limit(20).toList().toString();
    }

    static Map<String, JsonNode> documentsUnchecked(ElasticsearchServer es, String index) {
        try {
            return documents(es, index);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, JsonNode> documents(ElasticsearchServer es, String index) throws Exception {
        es.request("POST", "/" + index + "/_refresh", null);
        JsonNode hits = JSON.readTree(es.request("POST", "/" + index + "/_search?size=10000",
                "{\"query\":{\"match_all\":{}}}")).path("hits").path("hits");
        Map<String, JsonNode> docs = new TreeMap<>();
        for (JsonNode hit : hits) {
            docs.put(hit.path("_id").asText(), hit.path("_source"));
        }
        return docs;
    }

}
