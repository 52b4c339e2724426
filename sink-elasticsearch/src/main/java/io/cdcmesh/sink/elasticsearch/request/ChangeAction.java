package io.cdcmesh.sink.elasticsearch.request;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One write to Elasticsearch for one change event: index the document, or delete it, at the event's version.
 *
 * @param rowSchema the schema of the row image (for the index mapping), or null without schemas
 * @param document the row image to index, as {@link DocumentConverter} writes it (a {@link org.apache.kafka.connect.data.Struct}
 *     with its schema, or a map without one or read back by lookup); null for a delete
 * @param entity the table ({@code db.table}) the change is of: an index holds the documents of one table
 */
public record ChangeAction(SinkRecord record, Kind kind, String index, String id, long version, Schema rowSchema,
        Object document, long estimatedBytes, long sourceTs, String entity) {

    public enum Kind { INDEX, DELETE }

    /** Where the record came from, for logs and errors: never its contents. */
    public String coordinates() {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
