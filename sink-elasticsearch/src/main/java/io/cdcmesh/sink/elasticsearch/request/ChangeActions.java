package io.cdcmesh.sink.elasticsearch.request;

import io.cdcmesh.common.event.ChangeEventView;
import io.cdcmesh.sink.elasticsearch.index.IndexNames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/** Turns a normalized change event into the write it asks for. */
public final class ChangeActions {
    /** Elasticsearch refuses document ids longer than this many bytes. */
    static final int MAX_ID_BYTES = 512;

    private final IndexNames indexNames;
    private final boolean namespacedIds;

    public ChangeActions(IndexNames indexNames) {
        this(indexNames, false);
    }

    /** With {@code namespacedIds}, a document's id is {@code <entity>|<id>}, so tables can share an index. */
    public ChangeActions(IndexNames indexNames, boolean namespacedIds) {
        this.indexNames = indexNames;
        this.namespacedIds = namespacedIds;
    }

    /**
     * The action for {@code record}, which must not be a tombstone.
     *
     * @throws DataException naming the missing or bad field if the record is not a normalized change event
     */
    public ChangeAction of(SinkRecord record) {
        ChangeEventView event = ChangeEventView.of(record);
        String entity = event.entity();
        String id = namespacedIds ? namespaced(entity, event.id()) : event.id();
        long version = event.position();
        if (id.isEmpty() || (id.length() > MAX_ID_BYTES / 3 && id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES)) {
            throw new DataException("Field 'id' of the record at " + ChangeEventView.where(record) + " must be 1 to " + MAX_ID_BYTES
                    + " bytes to be an Elasticsearch document id");
        }
        if (version < 0) {
            throw new DataException("Field 'position' of the record at " + ChangeEventView.where(record) + " is negative");
        }
        String index = indexNames.indexFor(record.topic(), entity);
        if (event.type() == ChangeEventView.Type.DELETE) {
            return new ChangeAction(record, ChangeAction.Kind.DELETE, index, id, version, null, null, 64 + id.length(), event.ts(), entity);
        }
        Object after = event.after();
        if (after == null) {
            throw new DataException("Field 'after' of the " + event.type() + " event at " + ChangeEventView.where(record) + " is null");
        }
        if (after instanceof Struct row) {
            return new ChangeAction(record, ChangeAction.Kind.INDEX, index, id, version, row.schema(), row, estimateBytes(row),
                    event.ts(), entity);
        }
        Map<String, Object> document = DocumentConverter.document(after);
        return new ChangeAction(record, ChangeAction.Kind.INDEX, index, id, version, null, document, estimateBytes(document),
                event.ts(), entity);
    }

    /** {@code <entity>|<id>}, the entity escaped as the id's columns are ({@code \\} and {@code |}), so it never collides. */
    static String namespaced(String entity, String id) {
        return entity.replace("\\", "\\\\").replace("|", "\\|") + "|" + id;
    }

    /**
     * A size of the row's JSON, for bulk.size.bytes: cheap, not exact, but never far below the truth, so that a
     * batch of large BLOBs or nested values stays under the node's request limit. By the fields' schema types, not by
     * {@code instanceof} on the values: an interface check on a class that does not implement it is slow, and slower
     * still when several threads make it (JDK-8180450).
     */
    static long estimateBytes(Struct row) {
        long bytes = 64;
        for (Field field : row.schema().fields()) {
            bytes += field.name().length() + 4 + estimateValue(field.schema(), row.get(field));
        }
        return bytes;
    }

    private static long estimateValue(Schema schema, Object v) {
        if (v == null) {
            return 4;
        }
        return switch (schema.type()) {
            // A char may take up to 3 bytes in UTF-8 (4 for a surrogate pair, which is 2 chars), 6 when escaped.
            case STRING -> 3L * ((String) v).length() + 2;
            // BYTES also carries Connect's Decimal (a BigDecimal, written as a number).
            case BYTES -> v instanceof byte[] b ? 4L * b.length / 3 + 6
                    : v instanceof ByteBuffer buffer ? 4L * buffer.remaining() / 3 + 6 : 72;
            case STRUCT -> estimateBytes((Struct) v);
            case ARRAY -> {
                long sum = 2;
                for (Object item : (List<?>) v) {
                    sum += estimateValue(schema.valueSchema(), item) + 1;
                }
                yield sum;
            }
            case MAP -> {
                long sum = 2;
                for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                    sum += String.valueOf(e.getKey()).length() + 4 + estimateValue(schema.valueSchema(), e.getValue());
                }
                yield sum;
            }
            default -> 24;
        };
    }

    /** A size of the document's JSON (a schemaless row), for bulk.size.bytes: as for a {@link Struct} row. */
    static long estimateBytes(Map<String, Object> document) {
        return 62 + estimatePlain(document);
    }

    private static long estimatePlain(Object v) {
        if (v instanceof String s) {
            return 3L * s.length() + 2;
        }
        if (v instanceof Map<?, ?> map) {
            long sum = 2;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                sum += String.valueOf(e.getKey()).length() + 4 + estimatePlain(e.getValue());
            }
            return sum;
        }
        if (v instanceof List<?> list) {
            long sum = 2;
            for (Object item : list) {
                sum += estimatePlain(item) + 1;
            }
            return sum;
        }
        if (v instanceof byte[] b) {
            return 4L * b.length / 3 + 6;
        }
        return 24;
    }
}
