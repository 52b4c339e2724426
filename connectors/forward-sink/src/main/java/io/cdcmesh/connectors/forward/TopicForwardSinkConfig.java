package io.cdcmesh.connectors.forward;

import static io.cdcmesh.common.ConfigValidators.described;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/** Configuration of the forward-to-topic sink: where to produce, how to serialize, and the producer's settings. */
public final class TopicForwardSinkConfig extends AbstractConfig {
    public static final String TARGET_TOPIC = "target.topic";
    public static final String TARGET_BOOTSTRAP_SERVERS = "target.bootstrap.servers";
    public static final String TARGET_KEY_CONVERTER = "target.key.converter";
    public static final String TARGET_VALUE_CONVERTER = "target.value.converter";
    public static final String TARGET_HEADER_CONVERTER = "target.header.converter";
    public static final String TARGET_TOPIC_CREATE = "target.topic.create";
    public static final String TARGET_TOPIC_PARTITIONS = "target.topic.partitions";
    public static final String TARGET_TOPIC_REPLICATION_FACTOR = "target.topic.replication.factor";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    /** Prefix of settings handed to the producer, e.g. {@code target.producer.security.protocol}. */
    public static final String PRODUCER_PREFIX = "target.producer.";
    public static final String TOPIC_PLACEHOLDER = "${topic}";

    private static final Pattern LEGAL_TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final String TARGET = "Target";
    private static final String RETRIES = "Retries";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(TARGET_TOPIC, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                    described("a topic name; ${topic} stands for the record's topic", (key, value) -> validateTopic(key, (String) value)),
                    Importance.HIGH,
                    "Topic the events are produced to. '" + TOPIC_PLACEHOLDER + "' is replaced by the record's topic after this"
                            + " connector's transforms, e.g. 'filtered.${topic}' keeps one target topic per source table.",
                    TARGET, 1, Width.LONG, "Target topic")
            .define(TARGET_BOOTSTRAP_SERVERS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, described("a non-empty host:port list",
                    (key, value) -> {
                        if (value == null || ((List<?>) value).isEmpty()) {
                            throw new ConfigException(key, value, "Name at least one host:port of the target cluster");
                        }
                    }),
                    Importance.HIGH,
                    "Kafka cluster to produce to (host:port list). It may differ from the cluster the connector reads from.",
                    TARGET, 2, Width.LONG, "Target bootstrap servers")
            .define(TARGET_KEY_CONVERTER, Type.CLASS, JsonConverter.class, Importance.MEDIUM,
                    "Converter that serializes the record key (the entity's primary key). Its own settings take the prefix"
                            + " 'target.key.converter.', e.g. 'target.key.converter.schemas.enable'.",
                    TARGET, 3, Width.LONG, "Key converter")
            .define(TARGET_VALUE_CONVERTER, Type.CLASS, JsonConverter.class, Importance.MEDIUM,
                    "Converter that serializes the record value (the normalized event). Its own settings take the prefix"
                            + " 'target.value.converter.'.",
                    TARGET, 4, Width.LONG, "Value converter")
            .define(TARGET_HEADER_CONVERTER, Type.CLASS, SimpleHeaderConverter.class, Importance.LOW,
                    "Converter that serializes each header (cdc.uuid, cdc.type, cdc.position are text). Its own settings"
                            + " take the prefix 'target.header.converter.'.",
                    TARGET, 5, Width.LONG, "Header converter")
            .define(TARGET_TOPIC_CREATE, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Create a target topic that does not exist yet, before the first record goes to it, with the"
                            + " partitions and replication factor below. false: a missing target topic fails the task,"
                            + " naming the topic (instead of the producer waiting on it).",
                    TARGET, 6, Width.SHORT, "Create the target topic")
            .define(TARGET_TOPIC_PARTITIONS, Type.INT, -1, ConfigDef.Range.between(-1, 100_000), Importance.LOW,
                    "Partitions of a created target topic; -1 for the broker's num.partitions.",
                    TARGET, 7, Width.SHORT, "Target topic partitions")
            .define(TARGET_TOPIC_REPLICATION_FACTOR, Type.SHORT, (short) -1, ConfigDef.Range.between(-1, 32), Importance.LOW,
                    "Replication factor of a created target topic; -1 for the broker's default.replication.factor.",
                    TARGET, 8, Width.SHORT, "Target topic replication factor")
            .define(MAX_RETRIES, Type.INT, -1, ConfigDef.Range.atLeast(-1), Importance.MEDIUM,
                    "Times in a row a send that failed with a transient error (the target cluster unreachable, a"
                            + " timeout) is retried before the task stops; -1 retries without limit. Each retry replaces"
                            + " the producer and sends again every record not yet acknowledged, in order.",
                    RETRIES, 1, Width.SHORT, "Max retries")
            .define(RETRY_BACKOFF_MS, Type.LONG, 500L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Backoff before the first retry; it doubles per failed retry (with jitter) up to retry.backoff.max.ms."
                            + " The task's partitions are paused meanwhile.",
                    RETRIES, 2, Width.SHORT, "Retry backoff (ms)")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, ConfigDef.Range.atLeast(1), Importance.LOW,
                    "Longest backoff between retries.",
                    RETRIES, 3, Width.SHORT, "Max retry backoff (ms)");

    public TopicForwardSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
    }

    private static void validateTopic(String key, String topic) {
        String sample = topic == null ? "" : topic.replace(TOPIC_PLACEHOLDER, "t");
        if (!LEGAL_TOPIC.matcher(sample).matches() || sample.equals(".") || sample.equals("..")) {
            throw new ConfigException(key, topic, "A topic name is 1 to 249 of the characters a-z, A-Z, 0-9, '.', '_' and '-'"
                    + " (with " + TOPIC_PLACEHOLDER + " standing for the record's topic)");
        }
    }

    /** The target topic of a record whose topic (after the transforms) is {@code topic}. */
    public String targetTopic(String topic) {
        return getString(TARGET_TOPIC).replace(TOPIC_PLACEHOLDER, topic);
    }

    /**
     * The producer's settings: idempotent, acknowledged by all in-sync replicas, at most five requests in flight (so
     * per-key order holds across retries), then the user's {@code target.producer.*} settings.
     */
    public Map<String, Object> producerSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        settings.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        settings.putAll(originalsWithPrefix(PRODUCER_PREFIX));
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, String.join(",", getList(TARGET_BOOTSTRAP_SERVERS)));
        settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.ByteArraySerializer");
        settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.ByteArraySerializer");
        return settings;
    }

    /** The producer's settings that an admin client understands (bootstrap and security), for topic checks. */
    public Map<String, Object> adminSettings() {
        Map<String, Object> settings = producerSettings();
        settings.keySet().removeIf(key -> !AdminClientConfig.configNames().contains(key));
        return settings;
    }

    /** Producer settings that would give up per-key order or acknowledged delivery, on their keys. */
    public Map<String, List<String>> crossFieldErrors() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        Map<String, Object> producer = originalsWithPrefix(PRODUCER_PREFIX);
        Object idempotence = producer.get(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG);
        if (idempotence != null && !"true".equalsIgnoreCase(idempotence.toString().trim())) {
            errors.put(PRODUCER_PREFIX + ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, List.of(
                    "Must stay true: without idempotence a retried send can be written twice or out of order"));
        }
        Object acks = producer.get(ProducerConfig.ACKS_CONFIG);
        if (acks != null && !List.of("all", "-1").contains(acks.toString().trim().toLowerCase(Locale.ROOT))) {
            errors.put(PRODUCER_PREFIX + ProducerConfig.ACKS_CONFIG, List.of(
                    "Must be 'all': offsets are committed once the produce is acknowledged, and a leader-only"
                            + " acknowledgement can still be lost"));
        }
        Object inFlight = producer.get(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION);
        if (inFlight != null) {
            try {
                int value = Integer.parseInt(inFlight.toString().trim());
                if (value < 1 || value > 5) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                errors.put(PRODUCER_PREFIX + ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, List.of(
                        "Must be 1 to 5: the idempotent producer keeps per-key order only up to 5 requests in flight"));
            }
        }
        if (getLong(RETRY_BACKOFF_MS) > getLong(RETRY_BACKOFF_MAX_MS)) {
            errors.put(RETRY_BACKOFF_MS, List.of(RETRY_BACKOFF_MS + " must not exceed " + RETRY_BACKOFF_MAX_MS));
        }
        for (String key : List.of(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            if (producer.containsKey(key)) {
                errors.put(PRODUCER_PREFIX + key, List.of("Set by the connector ("
                        + (key.equals(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) ? "use " + TARGET_BOOTSTRAP_SERVERS
                        : key.equals(ProducerConfig.TRANSACTIONAL_ID_CONFIG) ? "transactions are not used"
                        : "use " + TARGET_KEY_CONVERTER + " / " + TARGET_VALUE_CONVERTER) + ")"));
            }
        }
        return errors;
    }
}
