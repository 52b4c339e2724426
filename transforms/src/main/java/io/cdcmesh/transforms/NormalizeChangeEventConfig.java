package io.cdcmesh.transforms;

import io.cdcmesh.common.ConfigValidators;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.Width;

/** Configuration of {@link NormalizeChangeEvent}. */
public final class NormalizeChangeEventConfig extends AbstractConfig {
    public static final String KEY_COLUMNS = "key.columns";
    public static final String TOMBSTONE_HANDLING = "tombstone.handling";
    public static final String NON_ROW_HANDLING = "non.row.handling";
    public static final String SCHEMA_CACHE_SIZE = "schema.cache.size";
    public static final String POSITION_MODE = "position.mode";
    public static final String POSITION_EPOCH = "position.epoch";
    public static final String TEMPORAL_TYPES = "temporal.types";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "cdc-mesh.dlq.source";
    public static final String MAX_EVENT_BYTES = "max.event.bytes";

    /** What to do with a record: drop it, or pass it on unchanged. */
    public enum Handling {
        DROP,
        KEEP;

        static Handling of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** What the source's {@code pos} field points at. */
    public enum PositionMode {
        /** By {@code source.connector}: {@code mariadb} is TRANSACTION, anything else EVENT. */
        AUTO,
        /** MySQL: {@code pos} is the start of each rows event; {@code row} orders rows inside it. */
        EVENT,
        /** MariaDB: {@code pos} is the start of the transaction; Debezium's {@code transaction.total_order} orders its changes. */
        TRANSACTION;

        static PositionMode of(String value) {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    private static final String GROUP_POSITION = "Position";
    private static final String GROUP_KEYS = "Keys";
    private static final String GROUP_RECORDS = "Other records";
    private static final String GROUP_PERFORMANCE = "Performance";
    private static final String GROUP_SCHEMA = "Schema";
    private static final String GROUP_ERRORS = "Errors";

    public static final ConfigDef CONFIG_DEF = new ConfigDef()
            .define(KEY_COLUMNS, Type.STRING, "", KeyColumns.validator(), Importance.MEDIUM,
                    "Key columns for tables that have no primary key (or whose key should be other columns), in the"
                            + " syntax of Debezium's message.key.columns: '<db.table regex>:<column>[,<column>...]',"
                            + " entries separated by ';', e.g. 'shop.events:event_id;audit\\..*:tenant,seq'. The"
                            + " columns are read from the row image (after, or before for a DELETE) and become the"
                            + " record key. A change to a table with neither a primary key nor configured key columns"
                            + " goes to the dead-letter topic (" + "dead.letter.topic" + ") with the reason: no sink could"
                            + " apply its updates and deletes exactly, since two equal rows of a keyless table can't be"
                            + " told apart.",
                    GROUP_KEYS, 1, Width.LONG, "Key columns for tables without a primary key")
            .define(TOMBSTONE_HANDLING, Type.STRING, "drop", enumValidator(), Importance.MEDIUM,
                    "What to do with the tombstone (null value) Debezium emits after each DELETE. 'drop' (the"
                            + " default): the normalized DELETE event already says the row is gone, and a tombstone"
                            + " carries no position, so a sink could not order it. 'keep': pass it on unchanged, for"
                            + " compacted topics; it keeps Debezium's key.",
                    GROUP_RECORDS, 1, Width.SHORT, "Tombstones", Recommenders.of("drop", "keep"))
            .define(NON_ROW_HANDLING, Type.STRING, "drop", enumValidator(), Importance.LOW,
                    "What to do with records that are not row changes: schema-change, heartbeat and transaction"
                            + " metadata events (any value without Debezium's 'op' field). 'drop' (the default) or"
                            + " 'keep' (pass on unchanged).",
                    GROUP_RECORDS, 2, Width.SHORT, "Schema-change and heartbeat events", Recommenders.of("drop", "keep"))
            .define(POSITION_MODE, Type.STRING, "auto", ConfigValidators.oneOf("auto", "event", "transaction"),
                    Importance.MEDIUM,
                    "Only where the transform runs on the sink side (no source offset at hand): how the event's"
                            + " position is folded from the binlog coordinates. On the source side the position is the"
                            + " transaction's rank from Debezium's source offset (see position.epoch). 'event': source.pos is the start"
                            + " of the row's binlog event (MySQL), so file, pos and row in event give an exact order."
                            + " 'transaction': source.pos is the start of the transaction (MariaDB reports it so for"
                            + " every event), and the order inside the transaction comes from Debezium's"
                            + " transaction.total_order: the connector must run with provide.transaction.metadata=true,"
                            + " and an event without it is rejected. 'auto' (the default): 'transaction' for events from"
                            + " Debezium's MariaDbConnector (source.connector = mariadb), 'event' otherwise. Debezium's"
                            + " MySqlConnector reading a MariaDB server gives neither exact order: use MariaDbConnector.",
                    GROUP_POSITION, 2, Width.SHORT, "Position mode", Recommenders.of("auto", "event", "transaction"))
            .define(POSITION_EPOCH, Type.INT, 1, ConfigDef.Range.between(1, SourcePosition.MAX_EPOCH), Importance.MEDIUM,
                    "The top of every position this transform gives on the source side, where the position is the"
                            + " transaction's rank in the source topology: the number of transactions in the GTID set"
                            + " before it (MySQL), the sum of its per-domain sequence numbers (MariaDB), or its start in"
                            + " the binlog without GTIDs. GTID ranks keep their order across failover to any replica."
                            + " Raise the epoch by one, with a new snapshot, after anything that starts the count again:"
                            + " RESET MASTER / RESET BINARY LOGS AND GTIDS, a restore or clone into a new server, or (without"
                            + " GTIDs) a failover; the sinks then take every change as newer than all they hold.",
                    GROUP_POSITION, 1, Width.SHORT, "Position epoch")
            .define(TEMPORAL_TYPES, Type.STRING, "source", ConfigValidators.oneOf("source", "logical"), Importance.MEDIUM,
                    "How date and time columns appear in before/after. 'source' (the default): as Debezium gives them"
                            + " (io.debezium.time.Date as days, io.debezium.time.Timestamp as epoch ms, ...). 'logical':"
                            + " the types that are exact in Kafka Connect's own logical types become them, so that Avro"
                            + " carries them as logical types: io.debezium.time.Date -> Connect Date (Avro 'date'),"
                            + " io.debezium.time.Timestamp -> Connect Timestamp (Avro 'timestamp-millis'). Microsecond and"
                            + " nanosecond timestamps (DATETIME(4..6)) and TIME columns (which MySQL allows outside one"
                            + " day) stay as Debezium gives them, since no Connect logical type holds them without loss;"
                            + " ZonedTimestamp stays an ISO-8601 string. Key columns are never converted (the event's id"
                            + " stays the same).",
                    GROUP_SCHEMA, 1, Width.SHORT, "Temporal types", Recommenders.of("source", "logical"))
            .define(DEAD_LETTER_TOPIC, Type.STRING, DEFAULT_DEAD_LETTER_TOPIC, Importance.MEDIUM,
                    "Topic that takes, unchanged, every change this transform cannot normalize: a table without a"
                            + " primary key or configured key columns, a key column that is null or missing, an"
                            + " operation that is not a row change (truncate), a malformed envelope. The reason is in"
                            + " the headers Kafka Connect's own dead-letter queue writes (__connect.errors.topic,"
                            + " .stage, .class.name, .exception.class.name, .exception.message), naming the table and"
                            + " the rule, never a row value; the pipeline goes on with the next change. Kafka Connect"
                            + " has no dead-letter queue for source connectors, so this is the source side's (on a"
                            + " sink's chain the change fails the transform, and Connect's own dead-letter queue takes it). In"
                            + " cdc-mesh run the runtime writes these records to its dead-letter topic or file. Empty:"
                            + " the change fails the transform instead (errors.tolerance then decides). Changes that"
                            + " cannot be placed in commit order (missing binlog coordinates, positions that would"
                            + " collide) always stop the task: every later change would be as wrong.",
                    GROUP_ERRORS, 1, Width.LONG, "Dead-letter topic")
            .define(MAX_EVENT_BYTES, Type.LONG, 0L, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
                    "The largest change, in bytes of its row images (strings by length, bytes as Base64), that is passed"
                            + " on; a larger one goes to the dead-letter topic with its key, its source coordinates and"
                            + " the reason, but without its rows. On Kafka Connect set it below the source's"
                            + " producer.override.max.request.size and the topic's max.message.bytes: a record above them"
                            + " fails the source task (Kafka's producer refuses it) and stops every table. 0 (the default):"
                            + " no limit, as in cdc-mesh run, where no Kafka stands between source and sinks.",
                    GROUP_ERRORS, 2, Width.SHORT, "Largest change (bytes)")
            .define(SCHEMA_CACHE_SIZE, Type.INT, 256, ConfigDef.Range.between(1, 100_000), Importance.LOW,
                    "How many derived schemas (one per source table and schema version) to keep. A record whose"
                            + " schema is cached costs no schema rebuild.",
                    GROUP_PERFORMANCE, 1, Width.SHORT, "Schema cache size");

    public NormalizeChangeEventConfig(Map<?, ?> props) {
        super(CONFIG_DEF, props);
    }

    KeyColumns keyColumns() {
        return KeyColumns.parse(KEY_COLUMNS, getString(KEY_COLUMNS));
    }

    Handling tombstoneHandling() {
        return Handling.of(getString(TOMBSTONE_HANDLING));
    }

    Handling nonRowHandling() {
        return Handling.of(getString(NON_ROW_HANDLING));
    }

    int positionEpoch() {
        return getInt(POSITION_EPOCH);
    }

    PositionMode positionMode() {
        return PositionMode.of(getString(POSITION_MODE));
    }

    boolean logicalTemporalTypes() {
        return "logical".equals(getString(TEMPORAL_TYPES));
    }

    long maxEventBytes() {
        return getLong(MAX_EVENT_BYTES);
    }

    /** The dead-letter topic, or null if refused changes fail the transform. */
    String deadLetterTopic() {
        String topic = getString(DEAD_LETTER_TOPIC);
        return topic == null || topic.isBlank() ? null : topic.trim();
    }

    int schemaCacheSize() {
        return getInt(SCHEMA_CACHE_SIZE);
    }

    private static ConfigDef.Validator enumValidator() {
        return ConfigValidators.oneOf("drop", "keep");
    }
}
