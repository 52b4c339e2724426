package io.cdcmesh.sink.elasticsearch;

import static io.cdcmesh.common.ConfigValidators.described;
import static io.cdcmesh.common.ConfigValidators.oneOf;

import io.cdcmesh.common.Redaction;
import io.cdcmesh.sink.elasticsearch.index.IndexNames;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the Elasticsearch sink. Where the Confluent Elasticsearch sink has a name for a setting,
 * this uses the same name and meaning (with saner timeouts).
 */
public final class ElasticsearchSinkConfig extends AbstractConfig {
    public static final String CONNECTION_URL = "connection.url";
    public static final String CONNECTION_USERNAME = "connection.username";
    public static final String CONNECTION_PASSWORD = "connection.password";
    public static final String CONNECTION_API_KEY = "connection.api.key";
    public static final String TRUSTSTORE_LOCATION = "connection.ssl.truststore.location";
    public static final String TRUSTSTORE_PASSWORD = "connection.ssl.truststore.password";
    public static final String TRUSTSTORE_TYPE = "connection.ssl.truststore.type";
    public static final String CONNECTION_TIMEOUT_MS = "connection.timeout.ms";
    public static final String READ_TIMEOUT_MS = "read.timeout.ms";

    public static final String BATCH_SIZE = "batch.size";
    public static final String BULK_SIZE_BYTES = "bulk.size.bytes";
    public static final String LINGER_MS = "linger.ms";
    public static final String MAX_IN_FLIGHT_REQUESTS = "max.in.flight.requests";
    public static final String MAX_BUFFERED_RECORDS = "max.buffered.records";
    public static final String FLUSH_TIMEOUT_MS = "flush.timeout.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";

    public static final String BEHAVIOR_ON_NULL_VALUES = "behavior.on.null.values";
    public static final String BEHAVIOR_ON_MALFORMED_DOCS = "behavior.on.malformed.documents";

    public static final String DOCUMENT_SOURCE = "document.source";
    public static final String LOOKUP_URL = "lookup.connection.url";
    public static final String LOOKUP_USER = "lookup.connection.user";
    public static final String LOOKUP_PASSWORD = "lookup.connection.password";

    public static final String INDEX_NAME_PATTERN = "index.name.pattern";
    public static final String TOPIC_INDEX_MAP = "topic.index.map";
    public static final String DOCUMENT_ID_NAMESPACE = "document.id.namespace";
    public static final String INDEX_SHARDS = "index.shards";
    public static final String INDEX_REPLICAS = "index.replicas";
    public static final String INDEX_GC_DELETES_MS = "index.gc.deletes.ms";

    /** What to do with a record whose value is null (a tombstone). */
    public enum NullValues { IGNORE, FAIL }

    /** What to do with a record that cannot be indexed (Elasticsearch rejects it, or it is not a change event). */
    public enum MalformedDocuments { DLQ, WARN, IGNORE, FAIL }

    private static final String CONNECTION = "Connection";
    private static final String WRITES = "Writes";
    private static final String DATA = "Data";
    private static final String INDEX = "Index";
    private static final String LOOKUP = "Delayed materialization";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(CONNECTION_URL, Type.LIST, ConfigDef.NO_DEFAULT_VALUE, described("http(s)://host:port, comma-separated, one scheme", ElasticsearchSinkConfig::validateUrls), Importance.HIGH,
                    "Elasticsearch HTTP endpoints, comma-separated, e.g. http://es1:9200,http://es2:9200. All use the"
                            + " same scheme.",
                    CONNECTION, 1, Width.LONG, "Connection URLs")
            .define(CONNECTION_USERNAME, Type.STRING, null, Importance.MEDIUM,
                    "User name for basic authentication; none if empty.",
                    CONNECTION, 2, Width.SHORT, "User name")
            .define(CONNECTION_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password for basic authentication. Never logged; use a config provider (${env:...},"
                            + " ${file:...}) rather than a literal.",
                    CONNECTION, 3, Width.SHORT, "Password")
            .define(CONNECTION_API_KEY, Type.PASSWORD, null, Importance.MEDIUM,
                    "An Elasticsearch API key, in the encoded form Elasticsearch returns when it creates one; sent as"
                            + " 'Authorization: ApiKey <key>'. Use it or basic authentication, not both. Never logged.",
                    CONNECTION, 4, Width.MEDIUM, "API key")
            .define(TRUSTSTORE_LOCATION, Type.STRING, null, Importance.MEDIUM,
                    "For https URLs: a trust store holding the certificate (or its CA) that Elasticsearch presents. Empty:"
                            + " the JVM's default trust. Host names are always verified.",
                    CONNECTION, 5, Width.LONG, "Trust store")
            .define(TRUSTSTORE_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password of the trust store, if it has one. Never logged.",
                    CONNECTION, 6, Width.SHORT, "Trust store password")
            .define(TRUSTSTORE_TYPE, Type.STRING, "PKCS12", oneOf("pkcs12", "jks"), Importance.LOW,
                    "Format of the trust store: PKCS12 or JKS.",
                    CONNECTION, 7, Width.SHORT, "Trust store type")
            .define(CONNECTION_TIMEOUT_MS, Type.INT, 5_000, Range.atLeast(1), Importance.LOW,
                    "How long to wait for a connection to be established, in milliseconds.",
                    CONNECTION, 8, Width.SHORT, "Connection timeout (ms)")
            .define(READ_TIMEOUT_MS, Type.INT, 60_000, Range.atLeast(1), Importance.LOW,
                    "How long to wait for a response, in milliseconds. A timed-out request is retried.",
                    CONNECTION, 9, Width.SHORT, "Read timeout (ms)")
            .define(BATCH_SIZE, Type.INT, 2_000, Range.between(1, 1_000_000), Importance.MEDIUM,
                    "The most actions in one bulk request.",
                    WRITES, 1, Width.SHORT, "Batch size")
            .define(BULK_SIZE_BYTES, Type.LONG, 5L * 1024 * 1024, Range.atLeast(1024), Importance.LOW,
                    "The most bytes of documents in one bulk request.",
                    WRITES, 2, Width.SHORT, "Bulk size (bytes)")
            .define(LINGER_MS, Type.LONG, 1L, Range.between(0, 600_000), Importance.LOW,
                    "How long a partly filled batch may wait for more records before it is sent, in milliseconds.",
                    WRITES, 3, Width.SHORT, "Linger (ms)")
            .define(MAX_IN_FLIGHT_REQUESTS, Type.INT, 5, Range.between(1, 64), Importance.MEDIUM,
                    "The most bulk requests sent and not yet answered at once, per task.",
                    WRITES, 4, Width.SHORT, "Max in-flight requests")
            .define(MAX_BUFFERED_RECORDS, Type.INT, 20_000, Range.atLeast(1), Importance.MEDIUM,
                    "The most records held by a task that Elasticsearch has not yet acknowledged. When it is reached the"
                            + " task pauses its partitions (backpressure) until writes catch up; nothing grows without"
                            + " bound and the task does not fail.",
                    WRITES, 5, Width.SHORT, "Max buffered records")
            .define(FLUSH_TIMEOUT_MS, Type.LONG, 180_000L, Range.atLeast(1), Importance.LOW,
                    "How long stopping a task waits for the writes under way to finish, in milliseconds. Records not"
                            + " acknowledged by then are not committed and come again after the restart.",
                    WRITES, 6, Width.SHORT, "Flush timeout (ms)")
            .define(MAX_RETRIES, Type.INT, -1, Range.atLeast(-1), Importance.MEDIUM,
                    "How many times an action that failed for a temporary reason (HTTP 429 or 5xx, a connection error,"
                            + " a timeout) is retried before the task fails; -1 (the default) retries until it succeeds,"
                            + " so a slow or briefly unreachable cluster never kills the task. Meanwhile the partitions"
                            + " stay paused once the buffer is full.",
                    WRITES, 7, Width.SHORT, "Max retries")
            .define(RETRY_BACKOFF_MS, Type.LONG, 100L, Range.atLeast(1), Importance.LOW,
                    "The first wait before a retry, in milliseconds; it doubles with each retry, with random jitter.",
                    WRITES, 8, Width.SHORT, "Retry backoff (ms)")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
                    "The longest wait between retries, in milliseconds.",
                    WRITES, 9, Width.SHORT, "Max retry backoff (ms)")
            .define(BEHAVIOR_ON_NULL_VALUES, Type.STRING, "ignore", oneOf("ignore", "fail"), Importance.LOW,
                    "What to do with a record whose value is null (a tombstone). 'ignore' (the default): deletes arrive"
                            + " as DELETE events, which carry the version a tombstone lacks. 'fail': fail the task.",
                    DATA, 1, Width.SHORT, "Behavior on null values")
            .define(BEHAVIOR_ON_MALFORMED_DOCS, Type.STRING, "dlq", oneOf("dlq", "warn", "ignore", "fail"), Importance.MEDIUM,
                    "What to do with a record that cannot be indexed: Elasticsearch rejects the document (a mapping"
                            + " conflict, a bad value) or the record is not a cdc-mesh change event. 'dlq' (the default):"
                            + " send it to Connect's dead-letter queue with the reason (needs"
                            + " errors.deadletterqueue.topic.name; without a DLQ, Connect fails the task unless"
                            + " errors.tolerance=all). 'warn': log topic, partition, offset and reason, and skip it."
                            + " 'ignore': skip it. 'fail': fail the task.",
                    DATA, 2, Width.SHORT, "Behavior on malformed documents")
            .define(DOCUMENT_SOURCE, Type.STRING, "event", oneOf("event", "lookup"), Importance.MEDIUM,
                    "Where a document's contents come from. 'event' (the default): the event's after image. 'lookup'"
                            + " (delayed materialization): the event is only a hint that the row changed; the sink re-reads"
                            + " the row's current state from the source database by primary key, one query per table per"
                            + " bulk request, indexes what it reads, and deletes the document if the row is gone. The"
                            + " write keeps the event's version, so a late event cannot overwrite a newer one.",
                    LOOKUP, 1, Width.SHORT, "Document source")
            .define(LOOKUP_URL, Type.STRING, null, Importance.MEDIUM,
                    "JDBC URL of the source database for document.source=lookup, e.g."
                            + " jdbc:mysql://db:3306/?sslMode=REQUIRED. Tables are read as db.table from the event's entity.",
                    LOOKUP, 2, Width.LONG, "Lookup JDBC URL")
            .define(LOOKUP_USER, Type.STRING, null, Importance.MEDIUM,
                    "User for the lookup connection; it needs SELECT on the captured tables.",
                    LOOKUP, 3, Width.SHORT, "Lookup user")
            .define(LOOKUP_PASSWORD, Type.PASSWORD, null, Importance.MEDIUM,
                    "Password for the lookup connection. Never logged.",
                    LOOKUP, 4, Width.SHORT, "Lookup password")
            .define(INDEX_NAME_PATTERN, Type.STRING, "${db}.${table}", described("text with ${db}, ${table}, ${entity}, ${topic}", ElasticsearchSinkConfig::validatePattern), Importance.MEDIUM,
                    "The index a change is written to, from placeholders ${db}, ${table}, ${entity} (db.table) and"
                            + " ${topic}. The name is lowercased and characters Elasticsearch does not accept are replaced"
                            + " by '_'. Each table needs an index of its own (a pattern with ${table}, ${entity} or"
                            + " ${topic}) unless " + "document.id.namespace" + "=entity; an index records the table it"
                            + " holds, and a change of another table to it goes to the dead-letter queue instead of"
                            + " overwriting a document with the same id.",
                    INDEX, 1, Width.MEDIUM, "Index name pattern")
            .define(TOPIC_INDEX_MAP, Type.LIST, "", described("topic:index pairs, comma-separated", ElasticsearchSinkConfig::validateTopicMap), Importance.LOW,
                    "Explicit indices for some topics, as topic:index pairs, comma-separated; they take precedence over"
                            + " " + INDEX_NAME_PATTERN + ".",
                    INDEX, 2, Width.LONG, "Topic to index map")
            .define(DOCUMENT_ID_NAMESPACE, Type.STRING, "none", oneOf("none", "entity"), Importance.LOW,
                    "How document ids of different tables are kept apart. 'none' (the default): the id is the row's"
                            + " key (the event's id), and each index holds one table. 'entity': the id is"
                            + " '<db.table>|<key>' (the table name escaped as the key's columns are), so that several"
                            + " tables can share an index without overwriting each other's documents.",
                    INDEX, 3, Width.SHORT, "Document id namespace")
            .define(INDEX_SHARDS, Type.INT, 1, Range.between(1, 1024), Importance.LOW,
                    "Primary shards of an index this connector creates.",
                    INDEX, 4, Width.SHORT, "Shards of new indices")
            .define(INDEX_REPLICAS, Type.INT, 1, Range.between(0, 100), Importance.LOW,
                    "Replicas of an index this connector creates.",
                    INDEX, 5, Width.SHORT, "Replicas of new indices")
            .define(INDEX_GC_DELETES_MS, Type.LONG, 3_600_000L, Range.atLeast(0), Importance.MEDIUM,
                    "index.gc_deletes of an index this connector creates, in milliseconds: how long Elasticsearch"
                            + " remembers the version of a deleted document. A stale write for a deleted document that"
                            + " arrives within this window is refused; one that arrives later would bring the document"
                            + " back. Elasticsearch's own default is 60 s; set it above the longest replay or redelivery"
                            + " delay you expect.",
                    INDEX, 6, Width.SHORT, "Deleted-version memory (ms)");

    public ElasticsearchSinkConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public List<URI> urls() {
        return getList(CONNECTION_URL).stream().map(u -> URI.create(u.trim())).toList();
    }

    public String username() {
        String user = getString(CONNECTION_USERNAME);
        return user == null || user.isBlank() ? null : user;
    }

    public Password password() {
        return getPassword(CONNECTION_PASSWORD);
    }

    public boolean lookup() {
        return "lookup".equalsIgnoreCase(getString(DOCUMENT_SOURCE).trim());
    }

    public NullValues nullValues() {
        return NullValues.valueOf(getString(BEHAVIOR_ON_NULL_VALUES).trim().toUpperCase(Locale.ROOT));
    }

    public MalformedDocuments malformedDocuments() {
        return MalformedDocuments.valueOf(getString(BEHAVIOR_ON_MALFORMED_DOCS).trim().toUpperCase(Locale.ROOT));
    }

    public Map<String, String> topicIndexMap() {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : getList(TOPIC_INDEX_MAP)) {
            int colon = pair.lastIndexOf(':');
            map.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return map;
    }

    /** Whether document ids carry their table's name, so that tables can share an index. */
    public boolean namespacedIds() {
        return "entity".equalsIgnoreCase(getString(DOCUMENT_ID_NAMESPACE).trim());
    }

    /** Errors of settings that are each valid but do not work together, by key. */
    public Map<String, List<String>> crossFieldErrors() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (!namespacedIds()) {
            sharedIndexErrors(errors);
        }
        if (getInt(BATCH_SIZE) > getInt(MAX_BUFFERED_RECORDS)) {
            errors.computeIfAbsent(BATCH_SIZE, k -> new ArrayList<>()).add(BATCH_SIZE + " (" + getInt(BATCH_SIZE)
                    + ") must not exceed " + MAX_BUFFERED_RECORDS + " (" + getInt(MAX_BUFFERED_RECORDS) + ")");
        }
        if (getLong(RETRY_BACKOFF_MS) > getLong(RETRY_BACKOFF_MAX_MS)) {
            errors.computeIfAbsent(RETRY_BACKOFF_MS, k -> new ArrayList<>()).add(RETRY_BACKOFF_MS + " must not exceed "
                    + RETRY_BACKOFF_MAX_MS);
        }
        if (lookup() && (getString(LOOKUP_URL) == null || !getString(LOOKUP_URL).startsWith("jdbc:"))) {
            errors.computeIfAbsent(LOOKUP_URL, k -> new ArrayList<>()).add(DOCUMENT_SOURCE
                    + "=lookup needs a JDBC URL of the source database (jdbc:mysql://host:port/)");
        }
        String truststore = getString(TRUSTSTORE_LOCATION);
        if (truststore != null && !truststore.isBlank() && !Files.isReadable(Path.of(truststore))) {
            errors.computeIfAbsent(TRUSTSTORE_LOCATION, k -> new ArrayList<>()).add("Cannot read the trust store " + truststore);
        }
        boolean hasUser = username() != null;
        boolean hasPassword = password() != null && !password().value().isEmpty();
        Password apiKey = getPassword(CONNECTION_API_KEY);
        if (apiKey != null && !apiKey.value().isEmpty() && hasUser) {
            errors.computeIfAbsent(CONNECTION_API_KEY, k -> new ArrayList<>()).add("Use " + CONNECTION_API_KEY + " or "
                    + CONNECTION_USERNAME + "/" + CONNECTION_PASSWORD + ", not both");
        }
        if (hasUser != hasPassword) {
            errors.computeIfAbsent(hasUser ? CONNECTION_PASSWORD : CONNECTION_USERNAME, k -> new ArrayList<>())
                    .add("Basic authentication needs both " + CONNECTION_USERNAME + " and " + CONNECTION_PASSWORD);
        }
        return errors;
    }

    /** Settings that send several tables to one index, where their documents would share one id space. */
    private void sharedIndexErrors(Map<String, List<String>> errors) {
        String pattern = getString(INDEX_NAME_PATTERN);
        String fix = ": a row of one table would overwrite the document of another with the same key. Give each table"
                + " its own index, or set " + DOCUMENT_ID_NAMESPACE + "=entity";
        // One topic (Connect's own 'topics', no regex) holds one table: a fixed index then mixes nothing. The index's
        // recorded owner still catches a router that merges tables into that topic.
        String topics = originalsStrings().getOrDefault("topics", "");
        String regex = originalsStrings().getOrDefault("topics.regex", "");
        boolean oneTopic = regex.isBlank() && topics.split(",").length == 1 && !topics.isBlank();
        if (!oneTopic && !pattern.contains("${table}") && !pattern.contains("${entity}") && !pattern.contains("${topic}")) {
            errors.computeIfAbsent(INDEX_NAME_PATTERN, k -> new ArrayList<>()).add("'" + pattern + "' sends every table"
                    + (pattern.contains("${db}") ? " of a database" : "") + " to one index" + fix);
        }
        Map<String, String> byIndex = new LinkedHashMap<>();
        topicIndexMap().forEach((topic, index) -> {
            String other = byIndex.putIfAbsent(IndexNames.sanitize(index), topic);
            if (other != null) {
                errors.computeIfAbsent(TOPIC_INDEX_MAP, k -> new ArrayList<>()).add("Topics '" + other + "' and '" + topic
                        + "' both go to index '" + index + "'" + fix);
            }
        });
    }

    private static void validateUrls(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> urls = (List<String>) value;
        if (urls == null || urls.isEmpty()) {
            throw new ConfigException(name, value, "At least one URL is needed");
        }
        String scheme = null;
        for (String url : urls) {
            URI uri;
            try {
                uri = URI.create(url.trim());
            } catch (IllegalArgumentException e) {
                throw new ConfigException(name, Redaction.text(url), "Not a URL");
            }
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(name, Redaction.text(url), "Must be http://host:port or https://host:port");
            }
            if (scheme != null && !scheme.equals(uri.getScheme())) {
                throw new ConfigException(name, Redaction.text(String.valueOf(value)), "All URLs must use the same scheme");
            }
            scheme = uri.getScheme();
        }
    }

    private static void validatePattern(String name, Object value) {
        String pattern = (String) value;
        if (pattern == null || pattern.isBlank()) {
            throw new ConfigException(name, value, "Must not be empty");
        }
        String rest = pattern.replace("${db}", "").replace("${table}", "").replace("${entity}", "").replace("${topic}", "");
        if (rest.contains("${")) {
            throw new ConfigException(name, value, "Unknown placeholder; use ${db}, ${table}, ${entity} or ${topic}");
        }
    }

    private static void validateTopicMap(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> pairs = (List<String>) value;
        for (String pair : pairs) {
            int colon = pair.lastIndexOf(':');
            if (colon <= 0 || colon == pair.length() - 1) {
                throw new ConfigException(name, pair, "Must be topic:index");
            }
        }
    }
}
