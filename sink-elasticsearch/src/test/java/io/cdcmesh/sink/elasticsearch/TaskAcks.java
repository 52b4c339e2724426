package io.cdcmesh.sink.elasticsearch;

import io.cdcmesh.servers.Await;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Waiting, with a deadline, until a sink task reports an offset as acknowledged by Elasticsearch. */
final class TaskAcks {
    static final TopicPartition PARTITION = new TopicPartition(Events.TOPIC, 0);

    private TaskAcks() {}

    /** Polls the task (an empty put drives linger and backpressure) until preCommit returns {@code offset}. */
    static void awaitCommittable(ElasticsearchSinkTask task, long offset, Duration timeout) {
        Map<TopicPartition, OffsetAndMetadata> current = Map.of(PARTITION, new OffsetAndMetadata(offset));
        Await.until(timeout, "offset " + offset + " to be acknowledged", () -> {
            task.put(java.util.List.of());
            OffsetAndMetadata committable = task.preCommit(current).get(PARTITION);
            return committable != null && committable.offset() == offset;
        });
    }
}
