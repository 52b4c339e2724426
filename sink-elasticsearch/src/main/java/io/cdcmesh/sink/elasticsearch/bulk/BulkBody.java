package io.cdcmesh.sink.elasticsearch.bulk;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import io.cdcmesh.sink.elasticsearch.request.DocumentConverter;
import io.cdcmesh.sink.elasticsearch.request.UnwritableValueException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code _bulk} API's wire format, written and read directly with Jackson's streaming API.
 *
 * <p>The request is one NDJSON byte array (action line, document line, each ending in a newline), so the HTTP
 * client sends it in a few large writes rather than one small write per line. Of the response only what the sink
 * acts on is read: {@code errors}, and, only when it is true, each item's {@code status} and error
 * {@code type}/{@code reason}. A response whose {@code errors} is false is not read past it.
 */
final class BulkBody {
    private BulkBody() {}

    /**
     * The outcome of each item, in request order; {@code statuses} null when every item succeeded. For a version
     * conflict, {@code currentVersions} holds the version the index has (-1 where unknown or not a conflict).
     */
    record Results(int[] statuses, String[] errors, long[] currentVersions) {
        Results(int[] statuses, String[] errors) {
            this(statuses, errors, null);
        }

        boolean allSucceeded() {
            return statuses == null;
        }

        long currentVersion(int item) {
            return currentVersions == null ? -1 : currentVersions[item];
        }
    }

    /** How Elasticsearch states the version it holds in a version conflict's reason. */
    private static final java.util.regex.Pattern CURRENT_VERSION = java.util.regex.Pattern.compile("current version \\[(\\d+)\\]");

    /** A request body: the first {@code length} bytes of {@code buffer} (the buffer it was written into, not a copy). */
    record Bytes(byte[] buffer, int length) {
        String text() {
            return new String(buffer, 0, length, StandardCharsets.UTF_8);
        }
    }

    /** An action whose document could not be written: its place in the request, and why. */
    static final class UnwritableAction extends RuntimeException {
        final int index;

        UnwritableAction(int index, UnwritableValueException cause) {
            super(cause.getMessage(), cause);
            this.index = index;
        }

        UnwritableValueException reason() {
            return (UnwritableValueException) getCause();
        }
    }

    /**
     * The NDJSON body of a bulk request: every write carries the event's version as an external version.
     *
     * @throws UnwritableAction for the first action whose document cannot be written (the body is then unusable:
     *     the caller leaves that action out and asks again, so a good batch pays nothing for the check)
     */
    static Bytes request(ObjectMapper mapper, List<ChangeAction> actions) throws IOException {
        long estimate = 0;
        for (ChangeAction action : actions) {
            estimate += action.estimatedBytes() + 96 + action.index().length() + action.id().length();
        }
        Buffer out = new Buffer((int) Math.min(Integer.MAX_VALUE - 8, estimate));
        try (JsonGenerator json = mapper.getFactory().createGenerator(out)) {
            json.setRootValueSeparator(new SerializedString("\n"));
            for (int i = 0; i < actions.size(); i++) {
                ChangeAction action = actions.get(i);
                json.writeStartObject();
                json.writeObjectFieldStart(action.kind() == ChangeAction.Kind.DELETE ? "delete" : "index");
                json.writeStringField("_index", action.index());
                json.writeStringField("_id", action.id());
                json.writeNumberField("version", action.version());
                // Every change of one transaction shares its position; equal versions apply in arrival order.
                json.writeStringField("version_type", "external_gte");
                json.writeEndObject();
                json.writeEndObject();
                if (action.kind() != ChangeAction.Kind.DELETE) {
                    try {
                        DocumentConverter.write(json, action.document());
                    } catch (UnwritableValueException e) {
                        throw new UnwritableAction(i, e);
                    }
                }
            }
        }
        out.write('\n');
        return new Bytes(out.buffer(), out.size());
    }

    /** A byte array output stream whose array is handed on as it is: a body is often a megabyte or more. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] buffer() {
            return buf;
        }
    }

    /** Reads a bulk response for {@code items} items. */
    static Results response(ObjectMapper mapper, InputStream body, int items) throws IOException {
        try (JsonParser json = mapper.getFactory().createParser(body)) {
            expect(json.nextToken(), JsonToken.START_OBJECT);
            int[] statuses = null;
            String[] errors = null;
            long[] currentVersions = null;
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                if ("errors".equals(field)) {
                    if (value == JsonToken.VALUE_FALSE) {
                        return new Results(null, null);
                    }
                } else if ("items".equals(field)) {
                    expect(value, JsonToken.START_ARRAY);
                    statuses = new int[items];
                    errors = new String[items];
                    currentVersions = new long[items];
                    java.util.Arrays.fill(currentVersions, -1);
                    int i = 0;
                    while (json.nextToken() == JsonToken.START_OBJECT) {
                        if (i >= items) {
                            throw new IOException("the bulk response has more items than the " + items + " sent");
                        }
                        expect(json.nextToken(), JsonToken.FIELD_NAME);
                        expect(json.nextToken(), JsonToken.START_OBJECT);
                        item(json, statuses, errors, currentVersions, i++);
                        expect(json.nextToken(), JsonToken.END_OBJECT);
                    }
                    if (i != items) {
                        throw new IOException("the bulk response has " + i + " items for the " + items + " sent");
                    }
                } else {
                    json.skipChildren();
                }
            }
            if (statuses == null) {
                throw new IOException("the bulk response has no items");
            }
            return new Results(statuses, errors, currentVersions);
        }
    }

    /** One item's fields, the parser on its START_OBJECT; leaves it on the item's END_OBJECT. */
    private static void item(JsonParser json, int[] statuses, String[] errors, long[] currentVersions, int i) throws IOException {
        while (json.nextToken() == JsonToken.FIELD_NAME) {
            String field = json.currentName();
            JsonToken value = json.nextToken();
            if ("status".equals(field)) {
                statuses[i] = json.getIntValue();
            } else if ("error".equals(field) && value == JsonToken.START_OBJECT) {
                String type = null;
                String reason = null;
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    JsonToken v = json.nextToken();
                    if ("type".equals(name) && v == JsonToken.VALUE_STRING) {
                        type = json.getText();
                    } else if ("reason".equals(name) && v == JsonToken.VALUE_STRING) {
                        reason = json.getText();
                    } else {
                        json.skipChildren();
                    }
                }
                errors[i] = ItemErrorText.of(type, reason);
                // The reason also quotes the document id: only the number is kept, for PositionRegressions.
                java.util.regex.Matcher current = "version_conflict_engine_exception".equals(type) && reason != null
                        ? CURRENT_VERSION.matcher(reason) : null;
                if (current != null && current.find()) {
                    currentVersions[i] = Long.parseLong(current.group(1));
                }
            } else {
                json.skipChildren();
            }
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("unexpected bulk response: " + actual + " where " + expected + " belongs");
        }
    }
}
