package io.cdcmesh.it;

import io.cdcmesh.servers.Await;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What Connect's sink consumer groups have committed, read with an Admin client. */
final class CommittedOffsets {
    private CommittedOffsets() {}

    /** Waits until each group has committed every partition of its topics up to the partition's end. */
    static void awaitAtEnd(String bootstrap, Map<String, List<String>> topicsByGroup) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            topicsByGroup.forEach((group, topics) -> Await.until(Duration.ofSeconds(120),
                    group + " to commit " + topics + " to their end offsets", () -> behind(admin, group, topics).isEmpty()));
        }
    }

    /** The partitions of {@code topics} whose committed offset in {@code group} is below their end, with both. */
    static Map<TopicPartition, String> behind(Admin admin, String group, List<String> topics) {
        try {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            admin.describeTopics(topics).allTopicNames().get().forEach((topic, description) -> description.partitions()
                    .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get();
            Map<TopicPartition, String> behind = new HashMap<>();
            admin.listOffsets(latest).all().get().forEach((tp, end) -> {
                OffsetAndMetadata at = committed.get(tp);
                long done = at == null ? 0 : at.offset();
                if (done < end.offset()) {
                    behind.put(tp, done + " of " + end.offset());
                }
            });
            return behind;
        } catch (Exception e) {
            throw new IllegalStateException("Could not read the offsets of " + group, e);
        }
    }
}
