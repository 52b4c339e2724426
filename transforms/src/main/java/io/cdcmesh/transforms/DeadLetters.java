package io.cdcmesh.transforms;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Headers;

/**
 * Changes a transform sets aside on the source side, where Kafka Connect has no dead-letter queue: the record is
 * routed to a dead-letter topic with the error context headers Connect's own sink DLQ writes ({@code __connect.errors.*},
 * same names), so the same tooling reads both. The reason names the table, the column and the rule, never a row value.
 * Key and value are carried as JSON text (Kafka's JsonConverter shape, without schemas): every table's dead letters
 * then share one schema, so a schema registry's compatibility rule can never refuse the second table's. cdc-mesh's
 * later transforms and the embedded runtime pass such records on untouched.
 */
public final class DeadLetters {
    public static final String HEADER_TOPIC = "__connect.errors.topic";
    public static final String HEADER_STAGE = "__connect.errors.stage";
    public static final String HEADER_CLASS = "__connect.errors.class.name";
    public static final String HEADER_EXCEPTION = "__connect.errors.exception.class.name";
    public static final String HEADER_MESSAGE = "__connect.errors.exception.message";
    /** The stage, as Connect names it: the record was refused by a transformation. */
    public static final String STAGE = "TRANSFORMATION";

    private DeadLetters() {}

    /** Whether a transform already routed this record to a dead-letter topic. */
    public static boolean isDeadLetter(ConnectRecord<?> record) {
        return record.headers().lastWithName(HEADER_STAGE) != null;
    }

    /**
     * A change set aside without its row images (they are what is too large): the normalized event's key, and of its
     * value the type, uuid, ts, entity, id, position, ordinal and the rows' estimated size.
     */
    static <R extends ConnectRecord<R>> R routeWithoutRows(R original, R normalized, long rowBytes, String topic,
            Class<?> transform, Exception reason) {
        Map<String, Object> summary = new LinkedHashMap<>();
        for (String field : new String[] {ChangeEvent.TYPE, ChangeEvent.UUID, ChangeEvent.TS, ChangeEvent.ENTITY,
                ChangeEvent.ID, ChangeEvent.POSITION, ChangeEvent.ORDINAL}) {
            summary.put(field, ChangeEvent.valueField(normalized.value(), field));
        }
        summary.put("row_image_bytes", rowBytes);
        return route(normalized.newRecord(original.topic(), original.kafkaPartition(), normalized.keySchema(), normalized.key(),
                null, summary, original.timestamp(), original.headers()), topic, transform, reason);
    }

    /**
     * The record's key and value as JSON text, sent to {@code topic} instead, with the reason in the headers. The partition is left to
     * the producer (the dead-letter topic's partition count is its own).
     */
    static <R extends ConnectRecord<R>> R route(R record, String topic, Class<?> transform, Exception reason) {
        Headers headers = record.headers().duplicate()
                .addString(HEADER_TOPIC, record.topic())
                .addString(HEADER_STAGE, STAGE)
                .addString(HEADER_CLASS, transform.getName())
                .addString(HEADER_EXCEPTION, reason.getClass().getName())
                .addString(HEADER_MESSAGE, reason.getMessage());
        return record.newRecord(topic, null, Schema.OPTIONAL_STRING_SCHEMA, JsonText.of(record.key()),
                Schema.OPTIONAL_STRING_SCHEMA, JsonText.of(record.value()), record.timestamp(), headers);
    }
}
