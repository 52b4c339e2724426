package io.cdcmesh.runtime.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The pipeline file's {@code runtime} section: what only the embedded runtime needs. Unknown keys are refused. */
record RuntimeSettings(Path dataDir, String pluginPath, long commitIntervalMs, int sinkQueueRecords, int sinkBatchRecords,
        long idlePollMs, int statusPort, String deadLetterBootstrap, Map<String, String> deadLetterClient) {
    /** Kafka client settings for the dead-letter cluster, under this prefix: its TLS and authentication only. */
    static final String DEAD_LETTER_CLIENT_PREFIX = "dead.letter.";
    private static final Pattern DEAD_LETTER_CLIENT_KEY = Pattern.compile("security\\.protocol|ssl\\..+|sasl\\..+");

    static final Map<String, String> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("data.dir", "folder for source offsets, schema history, the offset sequence and dead-letter files"
                + " (default: .cdc-mesh/<source name> under the current folder)");
        KEYS.put("plugin.path", "folders holding sink plugin archives, unpacked, comma-separated (default: the plugins"
                + " folder next to cdc-mesh.jar)");
        KEYS.put("offset.flush.interval.ms", "how often sinks are asked what is durable and source offsets committed (1000)");
        KEYS.put("sink.queue.records", "records buffered per sink before the source is held back (10000)");
        KEYS.put("sink.batch.records", "most records handed to one put() (2000)");
        KEYS.put("sink.idle.poll.ms", "how often an idle sink's put() is called with no records (500)");
        KEYS.put("dead.letter.bootstrap.servers", "Kafka cluster for the dead-letter topics of sinks that name one"
                + " (errors.deadletterqueue.topic.name); without it, dead letters go to files in data.dir");
        KEYS.put(DEAD_LETTER_CLIENT_PREFIX + "security.protocol, " + DEAD_LETTER_CLIENT_PREFIX + "ssl.*, "
                + DEAD_LETTER_CLIENT_PREFIX + "sasl.*", "the dead-letter cluster's TLS and authentication, as Kafka clients"
                + " name them (e.g. dead.letter.security.protocol=SASL_SSL); ${env:..} and ${file:..} references resolve");
        KEYS.put("status.port", "HTTP status port on 127.0.0.1 (health, Prometheus metrics, a live page); 0 picks a free one,"
                + " -1 turns it off (-1)");
    }

    /** The settings of {@code pipeline}, from its runtime {@code section} (references resolved). */
    static RuntimeSettings from(PipelineFile pipeline, PipelineFile.Section section, String defaultPluginPath) {
        Map<String, String> deadLetterClient = new TreeMap<>();
        for (String key : section.config().keySet()) {
            if (key.startsWith(DEAD_LETTER_CLIENT_PREFIX) && !KEYS.containsKey(key)) {
                String clientKey = key.substring(DEAD_LETTER_CLIENT_PREFIX.length());
                if (!DEAD_LETTER_CLIENT_KEY.matcher(clientKey).matches() || !ProducerConfig.configNames().contains(clientKey)) {
                    throw PipelineException.at(pipeline.file(), section.lineOf(key), "runtime key '" + key + "': '" + clientKey
                            + "' is not a Kafka client security setting (security.protocol, ssl.*, sasl.*)");
                }
                deadLetterClient.put(clientKey, section.config().get(key));
            } else if (!KEYS.containsKey(key)) {
                throw PipelineException.at(pipeline.file(), section.lineOf(key), "runtime key '" + key + "' is unknown (known: "
                        + String.join(", ", KEYS.keySet()) + ")");
            }
        }
        Map<String, String> c = section.config();
        Path dataDir = Path.of(c.getOrDefault("data.dir", ".cdc-mesh/" + pipeline.source().name()));
        String pluginPath = c.getOrDefault("plugin.path", defaultPluginPath);
        if (pluginPath == null || pluginPath.isBlank()) {
            throw PipelineException.at(pipeline.file(), section.line(), "runtime key 'plugin.path' is not set and cdc-mesh"
                    + " has no plugins folder of its own");
        }
        return new RuntimeSettings(dataDir, pluginPath,
                number(pipeline, c, "offset.flush.interval.ms", 1000, 10),
                (int) number(pipeline, c, "sink.queue.records", 10_000, 1),
                (int) number(pipeline, c, "sink.batch.records", 2_000, 1),
                number(pipeline, c, "sink.idle.poll.ms", 500, 1),
                (int) number(pipeline, c, "status.port", -1, -1),
                c.get("dead.letter.bootstrap.servers") == null || c.get("dead.letter.bootstrap.servers").isBlank() ? null
                        : c.get("dead.letter.bootstrap.servers").trim(),
                Map.copyOf(deadLetterClient));
    }

    /** Names the dead-letter client's keys, never their values (passwords and JAAS lines among them). */
    @Override
    public String toString() {
        return "RuntimeSettings[dataDir=" + dataDir + ", pluginPath=" + pluginPath + ", commitIntervalMs=" + commitIntervalMs
                + ", sinkQueueRecords=" + sinkQueueRecords + ", sinkBatchRecords=" + sinkBatchRecords + ", idlePollMs="
                + idlePollMs + ", statusPort=" + statusPort + ", deadLetterBootstrap=" + deadLetterBootstrap
                + ", deadLetterClient=" + deadLetterClient.keySet() + "]";
    }

    private static long number(PipelineFile pipeline, Map<String, String> c, String key, long def, long min) {
        String value = c.get(key);
        if (value == null) {
            return def;
        }
        try {
            long n = Long.parseLong(value.trim());
            if (n < min || n > Integer.MAX_VALUE) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw PipelineException.at(pipeline.file(), pipeline.runtime().lineOf(key), "runtime key '" + key
                    + "' must be a whole number from " + min + ", got '" + value + "'");
        }
    }
}
