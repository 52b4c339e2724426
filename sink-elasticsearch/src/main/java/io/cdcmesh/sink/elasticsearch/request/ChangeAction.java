package io.cdcmesh.sink.elasticsearch.request;

import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * One write to Elasticsearch for one change event: index the document, or delete it, at the event's version.
 *
 * @param rowSchema the schema of the row image (for the index mapping), or null without schemas
 * @param document the document to index; null for a delete
 */
public record ChangeAction(SinkRecord record, Kind kind, String index, String id, long version, Schema rowSchema,
        Map<String, Object> document, long estimatedBytes, long sourceTs) {

    public enum Kind { INDEX, DELETE }

    /** Where the record came from, for logs and errors: never its contents. */
    public String coordinates() {
        return record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
    }
}
