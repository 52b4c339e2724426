package io.cdcmesh.connectors.forward;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes sure a target topic exists before anything is sent to it: created (target.topic.create) or refused by name.
 * An unreachable cluster is a {@link RetriableException}, so the worker delivers the batch again.
 */
interface TargetTopics extends AutoCloseable {
    void ensure(String topic);

    /** Forgets which topics were seen to exist, so that the next {@link #ensure} of each looks again. */
    void forget();

    @Override
    void close();

    /** Checks and creates topics with an Admin client on the target cluster, once per topic. */
    final class OnCluster implements TargetTopics {
        private static final Logger LOG = LoggerFactory.getLogger(OnCluster.class);
        /** Bounded well below max.poll.interval.ms: the task thread waits on it. */
        private static final long TIMEOUT_S = 10;

        private final TopicForwardSinkConfig config;
        private final Set<String> known = new HashSet<>();
        private Admin admin;

        OnCluster(TopicForwardSinkConfig config) {
            this.config = config;
        }

        @Override
        public void ensure(String topic) {
            if (known.contains(topic)) {
                return;
            }
            if (admin == null) {
                admin = Admin.create(config.adminSettings());
            }
            try {
                try {
                    admin.describeTopics(List.of(topic)).allTopicNames().get(TIMEOUT_S, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                        throw e;
                    }
                    create(topic);
                }
                known.add(topic);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("Interrupted while checking the target topic '" + topic + "'", e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                if (cause instanceof org.apache.kafka.common.errors.RetriableException || e instanceof TimeoutException) {
                    throw new RetriableException("The target cluster did not answer for topic '" + topic + "': " + cause, cause);
                }
                throw new ConnectException("The target topic '" + topic + "' is not usable: " + cause, cause);
            }
        }

        @Override
        public void forget() {
            known.clear();
        }

        private void create(String topic) throws InterruptedException, ExecutionException, TimeoutException {
            if (!config.getBoolean(TopicForwardSinkConfig.TARGET_TOPIC_CREATE)) {
                throw new ConnectException("The target topic '" + topic + "' does not exist and "
                        + TopicForwardSinkConfig.TARGET_TOPIC_CREATE + " is false");
            }
            int partitions = config.getInt(TopicForwardSinkConfig.TARGET_TOPIC_PARTITIONS);
            short replication = config.getShort(TopicForwardSinkConfig.TARGET_TOPIC_REPLICATION_FACTOR);
            NewTopic created = new NewTopic(topic, partitions < 0 ? Optional.empty() : Optional.of(partitions),
                    replication < 0 ? Optional.empty() : Optional.of(replication));
            try {
                admin.createTopics(List.of(created)).all().get(TIMEOUT_S, TimeUnit.SECONDS);
                LOG.info("Created the target topic '{}'", topic);
            } catch (ExecutionException exists) {
                if (!(exists.getCause() instanceof TopicExistsException)) {
                    throw exists;
                }
            }
        }

        @Override
        public void close() {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }
}
