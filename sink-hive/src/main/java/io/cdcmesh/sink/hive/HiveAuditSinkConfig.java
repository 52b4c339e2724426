package io.cdcmesh.sink.hive;

import static io.cdcmesh.common.ConfigValidators.described;
import static io.cdcmesh.common.ConfigValidators.oneOf;

import io.cdcmesh.common.Redaction;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Configuration of the Hive audit sink. Where Confluent's HDFS sink has a name for a setting ({@code flush.size},
 * {@code rotate.interval.ms}, {@code hive.database}, {@code partition.field.name}), this uses it with its meaning.
 */
public final class HiveAuditSinkConfig extends AbstractConfig {
    public static final String HIVE_URL = "hive.jdbc.url";
    public static final String HIVE_USER = "hive.user";
    public static final String HIVE_PASSWORD = "hive.password";
    public static final String HIVE_SESSION_SETTINGS = "hive.session.settings";
    public static final String HIVE_DATABASE = "hive.database";
    public static final String TABLE_NAME_PATTERN = "table.name.pattern";
    public static final String TABLE_LOCATION = "table.location";
    public static final String PARTITION_FIELD_NAME = "partition.field.name";
    public static final String PARTITION_FORMAT = "partition.format";

    public static final String WRITE_MODE = "write.mode";
    public static final String STORAGE_FORMAT = "storage.format";
    public static final String FLUSH_SIZE = "flush.size";
    public static final String ROTATE_INTERVAL_MS = "rotate.interval.ms";
    public static final String MAX_RETRIES = "max.retries";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";

    private static final Pattern SETTING_KEY = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final String HIVE = "Hive";
    private static final String TABLES = "Tables";
    private static final String WRITES = "Writes";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(HIVE_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, described("jdbc:hive2://host:port[/db][;...]",
                    HiveAuditSinkConfig::validateUrl), Importance.HIGH,
                    "JDBC URL of HiveServer2, e.g. jdbc:hive2://hive:10000/default. Tables, columns and partitions are"
                            + " created and altered through it.",
                    HIVE, 1, Width.LONG, "HiveServer2 JDBC URL")
            .define(HIVE_USER, Type.STRING, "", Importance.MEDIUM,
                    "User name for HiveServer2; empty for none.",
                    HIVE, 2, Width.SHORT, "User")
            .define(HIVE_PASSWORD, Type.PASSWORD, "", Importance.MEDIUM,
                    "Password for HiveServer2. Never logged; use a config provider (${env:...}, ${file:...}) rather"
                            + " than a literal.",
                    HIVE, 3, Width.SHORT, "Password")
            .define(HIVE_SESSION_SETTINGS, Type.LIST, "", described("key=value, comma-separated",
                    HiveAuditSinkConfig::validateSettings), Importance.LOW,
                    "Hive settings applied with SET at the start of every session, e.g."
                            + " hive.exec.dynamic.partition.mode=nonstrict. Values may not contain ';' or line breaks.",
                    HIVE, 4, Width.LONG, "Session settings")
            .define(HIVE_DATABASE, Type.STRING, "audit", described("letters, digits and _", HiveAuditSinkConfig::validateName),
                    Importance.MEDIUM, "The Hive database of the audit tables; created if missing.",
                    TABLES, 1, Width.SHORT, "Database")
            .define(TABLE_NAME_PATTERN, Type.STRING, "${db}_${table}", described("text with ${db}, ${table}, ${topic}",
                    HiveAuditSinkConfig::validatePattern), Importance.MEDIUM,
                    "The audit table of a change, from placeholders ${db} and ${table} (of the change's entity, db.table)"
                            + " and ${topic}. The default gives one table per source table; a name without placeholders"
                            + " puts every change in one shared table, whose columns are the union of all tables'."
                            + " Names are lower-cased; a name with other characters than letters, digits and '_' is"
                            + " refused (its records go to the dead-letter queue with the reason).",
                    TABLES, 2, Width.MEDIUM, "Table name pattern")
            .define(TABLE_LOCATION, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, described("a URI: file:///path, hdfs://host/path",
                    HiveAuditSinkConfig::validateLocation), Importance.HIGH,
                    "Root directory of the audit tables, as a Hadoop FileSystem URI; a table lives at"
                            + " <root>/<database>/<table> and is created EXTERNAL there. With write.mode=files the task"
                            + " writes data files under it, so it must be reachable from the Connect workers; with"
                            + " write.mode=jdbc only HiveServer2 needs to reach it.",
                    TABLES, 3, Width.LONG, "Table location")
            .define(PARTITION_FIELD_NAME, Type.STRING, "day", described("letters, digits and _", HiveAuditSinkConfig::validateName),
                    Importance.LOW, "The partition column of audit tables, a STRING holding the formatted source commit time.",
                    TABLES, 4, Width.SHORT, "Partition column")
            .define(PARTITION_FORMAT, Type.STRING, "yyyy-MM-dd", described("a java.time pattern", HiveAuditSinkConfig::validateFormat),
                    Importance.LOW, "The partition value: the source commit time (ts, UTC) in this java.time pattern;"
                            + " yyyy-MM-dd gives a partition per day, yyyy-MM-dd-HH one per hour.",
                    TABLES, 5, Width.SHORT, "Partition format")
            .define(WRITE_MODE, Type.STRING, "files", oneOf("files", "jdbc"), Importance.MEDIUM,
                    "How rows reach Hive. 'files' (the fast path): data files written into the table's partition"
                            + " directories through Hadoop's FileSystem API, each partition registered over JDBC; the"
                            + " workers must reach table.location. 'jdbc' (the portable path): multi-row INSERT statements"
                            + " over JDBC only, a few thousand rows/s.",
                    WRITES, 1, Width.SHORT, "Write mode")
            .define(STORAGE_FORMAT, Type.STRING, "text", oneOf("text", "orc", "parquet"), Importance.LOW,
                    "Format of the audit tables this sink creates: 'text' (LazySimpleSerDe, \\001-delimited, escaped,"
                            + " \\N for null), 'orc' (STORED AS ORC: columnar, typed, zlib-compressed) or 'parquet' (STORED"
                            + " AS PARQUET: columnar, typed, dictionary-encoded; timestamps to the microsecond). Both write"
                            + " paths support all three. A table that exists keeps its format: the files path writes what"
                            + " the metastore declares for it.",
                    WRITES, 2, Width.SHORT, "Storage format")
            .define(FLUSH_SIZE, Type.INT, 10_000, Range.between(1, 10_000_000), Importance.MEDIUM,
                    "Rows buffered per topic partition before they are written as one file per table partition.",
                    WRITES, 3, Width.SHORT, "Flush size")
            .define(ROTATE_INTERVAL_MS, Type.LONG, 60_000L, Range.between(1, 24L * 3_600_000), Importance.MEDIUM,
                    "The longest a buffered row waits before it is written, in milliseconds, even if no more records"
                            + " arrive: an idle topic's last rows land within this time.",
                    WRITES, 4, Width.SHORT, "Rotate interval (ms)")
            .define(MAX_RETRIES, Type.INT, -1, Range.atLeast(-1), Importance.MEDIUM,
                    "How many times a write that failed for a temporary reason (HiveServer2 or the file system"
                            + " unreachable) is retried before the task fails; -1 (the default) retries until it"
                            + " succeeds. Meanwhile the task's partitions are paused.",
                    WRITES, 5, Width.SHORT, "Max retries")
            .define(RETRY_BACKOFF_MS, Type.LONG, 500L, Range.atLeast(1), Importance.LOW,
                    "The first wait before a retry, in milliseconds; it doubles with each retry, with random jitter.",
                    WRITES, 6, Width.SHORT, "Retry backoff (ms)")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "The longest wait between retries, in milliseconds.",
                    WRITES, 7, Width.SHORT, "Max retry backoff (ms)");

    public HiveAuditSinkConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    public Password password() {
        return getPassword(HIVE_PASSWORD);
    }

    /** SET statements' key/value pairs, in order. */
    public Map<String, String> sessionSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : getList(HIVE_SESSION_SETTINGS)) {
            int eq = pair.indexOf('=');
            settings.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return settings;
    }

    public String database() {
        return getString(HIVE_DATABASE).trim().toLowerCase(Locale.ROOT);
    }

    public String partitionField() {
        return getString(PARTITION_FIELD_NAME).trim().toLowerCase(Locale.ROOT);
    }

    public String storageFormat() {
        return getString(STORAGE_FORMAT).trim().toLowerCase(Locale.ROOT);
    }

    public DateTimeFormatter partitionFormat() {
        return DateTimeFormatter.ofPattern(getString(PARTITION_FORMAT)).withZone(ZoneOffset.UTC);
    }

    public String tableLocation() {
        String root = getString(TABLE_LOCATION).trim();
        return root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    /** Errors of settings that are each valid but do not work together, by key. */
    public Map<String, List<String>> crossFieldErrors() {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        if (getLong(RETRY_BACKOFF_MS) > getLong(RETRY_BACKOFF_MAX_MS)) {
            errors.computeIfAbsent(RETRY_BACKOFF_MS, k -> new ArrayList<>()).add(RETRY_BACKOFF_MS + " must not exceed "
                    + RETRY_BACKOFF_MAX_MS);
        }
        if (List.of("uuid", "type", "entity", "id", "ts", "commit_time", "position", "kafka_topic", "kafka_partition",
                "kafka_offset").contains(partitionField()) || partitionField().startsWith("before_")
                || partitionField().startsWith("after_")) {
            errors.computeIfAbsent(PARTITION_FIELD_NAME, k -> new ArrayList<>()).add(PARTITION_FIELD_NAME + " '"
                    + partitionField() + "' is the name of an audit column; choose another");
        }
        return errors;
    }

    private static void validateUrl(String name, Object value) {
        if (value == null || !value.toString().trim().startsWith("jdbc:hive2://")) {
            throw new ConfigException(name, value == null ? null : Redaction.text(value.toString()),
                    "Must be a HiveServer2 JDBC URL, jdbc:hive2://host:port/...");
        }
    }

    private static void validateSettings(String name, Object value) {
        @SuppressWarnings("unchecked")
        List<String> pairs = (List<String>) value;
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !SETTING_KEY.matcher(pair.substring(0, eq).trim()).matches()) {
                throw new ConfigException(name, Redaction.text(pair), "Must be key=value with a key of letters, digits, '.', '_' or '-'");
            }
            String v = pair.substring(eq + 1);
            if (v.contains(";") || v.contains("\n") || v.contains("\r")) {
                throw new ConfigException(name, pair.substring(0, eq) + "=" + Redaction.HIDDEN, "A value may not contain ';' or a line break");
            }
        }
    }

    private static void validateName(String name, Object value) {
        if (value == null || !value.toString().trim().matches("[A-Za-z0-9_]{1,128}")) {
            throw new ConfigException(name, value, "Must be 1 to 128 letters, digits or '_'");
        }
    }

    private static void validatePattern(String name, Object value) {
        String pattern = (String) value;
        if (pattern == null || pattern.isBlank()) {
            throw new ConfigException(name, value, "Must not be empty");
        }
        String rest = pattern.replace("${db}", "").replace("${table}", "").replace("${topic}", "");
        if (rest.contains("${")) {
            throw new ConfigException(name, value, "Unknown placeholder; use ${db}, ${table} or ${topic}");
        }
        if (!rest.matches("[A-Za-z0-9_]*")) {
            throw new ConfigException(name, value, "Outside placeholders only letters, digits and '_' are allowed");
        }
    }

    private static void validateLocation(String name, Object value) {
        String location = value == null ? "" : value.toString().trim();
        URI uri;
        try {
            uri = URI.create(location);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "Not a URI: " + e.getMessage());
        }
        if (uri.getScheme() == null || uri.getPath() == null || !uri.getPath().startsWith("/")) {
            throw new ConfigException(name, value, "Must be an absolute URI with a scheme, e.g. file:///data/audit or hdfs://nn:8020/audit");
        }
        if (location.contains("'") || location.contains("\\") || location.contains(";")) {
            throw new ConfigException(name, value, "May not contain quotes, backslashes or ';'");
        }
    }

    private static void validateFormat(String name, Object value) {
        String pattern = value == null ? "" : value.toString();
        try {
            DateTimeFormatter.ofPattern(pattern);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name, value, "Not a java.time pattern: " + e.getMessage());
        }
        if (!pattern.matches("[yMdHhmsSuDw\\-_.]+")) {
            throw new ConfigException(name, value, "Only date and time letters, '-', '_' and '.' are allowed, so that every"
                    + " partition value is a safe directory name");
        }
    }
}
