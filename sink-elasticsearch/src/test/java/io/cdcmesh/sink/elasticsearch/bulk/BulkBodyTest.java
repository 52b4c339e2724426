package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.Test;

class BulkBodyTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void requestIsNdjsonWithExternalVersionsAndEndsWithANewline() throws IOException {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("name", "line\nbreak \"quoted\"");
        document.put("budget", new BigDecimal("1234.50"));
        document.put("missing", null);
        List<ChangeAction> actions = List.of(
                action(ChangeAction.Kind.INDEX, "shop.orders", "7", 42, document),
                action(ChangeAction.Kind.DELETE, "shop.orders", "8|a", 43, null));
        String body = BulkBody.request(JSON, actions).text();
        assertThat(body).endsWith("\n");
        String[] lines = body.substring(0, body.length() - 1).split("\n", -1);
        assertThat(lines).hasSize(3);
        assertThat(JSON.readTree(lines[0])).isEqualTo(JSON.readTree(
                "{\"index\":{\"_index\":\"shop.orders\",\"_id\":\"7\",\"version\":42,\"version_type\":\"external_gte\"}}"));
        JsonNode doc = JSON.readTree(lines[1]);
        assertThat(doc.path("name").asText()).isEqualTo("line\nbreak \"quoted\"");
        assertThat(doc.path("budget").decimalValue()).isEqualByComparingTo("1234.50");
        assertThat(doc.has("missing")).isTrue();
        assertThat(JSON.readTree(lines[2])).isEqualTo(JSON.readTree(
                "{\"delete\":{\"_index\":\"shop.orders\",\"_id\":\"8|a\",\"version\":43,\"version_type\":\"external_gte\"}}"));
    }

    @Test
    void anActionWhoseDocumentCannotBeWrittenIsNamedByItsPlaceAndColumn() {
        org.apache.kafka.connect.data.Schema schema = org.apache.kafka.connect.data.SchemaBuilder.struct()
                .field("day", org.apache.kafka.connect.data.SchemaBuilder.string().name("io.debezium.time.Date").build()).build();
        Object bad = new org.apache.kafka.connect.data.Struct(schema).put("day", "not a day number");
        Object good = Map.of("day", "2026-07-04");
        List<ChangeAction> actions = List.of(action(ChangeAction.Kind.INDEX, "i", "1", 1, good),
                action(ChangeAction.Kind.DELETE, "i", "2", 2, null), action(ChangeAction.Kind.INDEX, "i", "3", 3, bad));
        assertThatThrownBy(() -> BulkBody.request(JSON, actions)).isInstanceOfSatisfying(BulkBody.UnwritableAction.class, e -> {
            assertThat(e.index).isEqualTo(2);
            assertThat(e.reason().column()).isEqualTo("day");
        });
    }

    @Test
    void responseWithoutErrorsIsNotReadPastTheFlag() throws IOException {
        String response = "{\"errors\":false,\"took\":3,\"items\":[{\"index\":{\"status\":201}}, \"not even read\"]}";
        assertThat(BulkBody.response(JSON, in(response), 2).allSucceeded()).isTrue();
    }

    @Test
    void responseWithErrorsGivesEachItemsStatusAndReason() throws IOException {
        String response = "{\"took\":5,\"errors\":true,\"items\":["
                + "{\"index\":{\"_index\":\"i\",\"_id\":\"1\",\"_version\":3,\"result\":\"created\",\"_shards\":{\"total\":1},\"status\":201}},"
                + "{\"index\":{\"_index\":\"i\",\"_id\":\"2\",\"status\":409,\"error\":{\"type\":\"version_conflict_engine_exception\","
                + "\"reason\":\"[2]: version conflict, current version [72057594037927950] is higher or equal to the one provided"
                + " [72057594037927940]\",\"index\":\"i\"}}},"
                + "{\"index\":{\"_index\":\"i\",\"_id\":\"3\",\"status\":400,\"error\":{\"type\":\"document_parsing_exception\","
                + "\"reason\":\"failed to parse field [when]\",\"caused_by\":{\"type\":\"illegal_argument_exception\",\"reason\":\"x\"}}}},"
                + "{\"delete\":{\"_index\":\"i\",\"_id\":\"4\",\"status\":429,\"error\":{\"type\":\"es_rejected_execution_exception\",\"reason\":\"busy\"}}}"
                + "]}";
        BulkBody.Results results = BulkBody.response(JSON, in(response), 4);
        assertThat(results.allSucceeded()).isFalse();
        assertThat(results.statuses()).containsExactly(201, 409, 400, 429);
        assertThat(results.currentVersion(1)).as("the version the index holds, from the conflict's reason")
                .isEqualTo(72057594037927950L);
        assertThat(results.currentVersion(2)).isEqualTo(-1);
        assertThat(results.errors()).as("ids and values withheld, field names kept").containsExactly(null,
                "version_conflict_engine_exception: […]: version conflict, current version […] is higher or equal to the one provided […]",
                "document_parsing_exception: failed to parse field [when]", "es_rejected_execution_exception: busy");
    }

    @Test
    void responseWithAnotherNumberOfItemsIsRefused() {
        String response = "{\"errors\":true,\"items\":[{\"index\":{\"status\":201}}]}";
        assertThatThrownBy(() -> BulkBody.response(JSON, in(response), 2)).isInstanceOf(IOException.class).hasMessageContaining("1 items for the 2");
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    private static ChangeAction action(ChangeAction.Kind kind, String index, String id, long version, Object document) {
        SinkRecord record = new SinkRecord("t", 0, null, null, null, null, 0);
        return new ChangeAction(record, kind, index, id, version, null, document, 100, 0, "db.t");
    }
}
