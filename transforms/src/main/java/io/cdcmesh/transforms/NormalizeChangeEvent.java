package io.cdcmesh.transforms;

import io.cdcmesh.transforms.NormalizeChangeEventConfig.Handling;
import io.cdcmesh.transforms.NormalizeChangeEventConfig.PositionMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.components.Versioned;
import org.apache.kafka.connect.connector.ConnectRecord;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.header.Headers;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.transforms.Transformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a Debezium MySQL/MariaDB change event into cdc-mesh's normalized change event.
 *
 * <p>Works on records with a schema ({@link Struct} values) and without ({@link Map} values, from the JSON
 * converter with {@code schemas.enable=false}).
 */
public class NormalizeChangeEvent<R extends ConnectRecord<R>> implements Transformation<R>, Versioned {
    public static final String OVERVIEW_DOC = "Turns a Debezium MySQL or MariaDB change event into cdc-mesh's"
            + " normalized change event. The record key becomes the row's primary key (or configured key columns);"
            + " the value carries uuid (deterministic per binlog row event), type (CREATE, READ, UPDATE, DELETE),"
            + " ts (source commit time, ms), entity (db.table), id (the key as one canonical string), position (a"
            + " long that grows with binlog order), before and after; headers cdc.type, cdc.uuid and cdc.position"
            + " are added.";

    public static final ConfigDef CONFIG_DEF = NormalizeChangeEventConfig.CONFIG_DEF;

    private static final Logger LOG = LoggerFactory.getLogger(NormalizeChangeEvent.class);

    private KeyColumns keyColumns;
    private Handling tombstones;
    private Handling nonRows;
    private SchemaCache<Plan> plans;
    private SchemaCache<Schema> keySchemas;
    private SchemaCache<Optional<RowShape>> keyShapes;
    private boolean logicalTemporal;
    private PositionMode positionMode;
    private Object lastDb;
    private Object lastTable;
    private String lastEntity;
    private Plan lastPlan;
    private int epoch;
    private String deadLetterTopic;
    private long maxEventBytes;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    @Override
    public void configure(Map<String, ?> props) {
        NormalizeChangeEventConfig config = new NormalizeChangeEventConfig(props);
        keyColumns = config.keyColumns();
        tombstones = config.tombstoneHandling();
        nonRows = config.nonRowHandling();
        positionMode = config.positionMode();
        epoch = config.positionEpoch();
        logicalTemporal = config.logicalTemporalTypes();
        deadLetterTopic = config.deadLetterTopic();
        maxEventBytes = config.maxEventBytes();
        plans = new SchemaCache<>(config.schemaCacheSize());
        keySchemas = new SchemaCache<>(config.schemaCacheSize());
        keyShapes = new SchemaCache<>(config.schemaCacheSize());
    }

    @Override
    public R apply(R record) {
        if (DeadLetters.isDeadLetter(record)) {
            return record;
        }
        try {
            R normalized = normalize(record);
            if (maxEventBytes > 0 && normalized != null && record instanceof SourceRecord) {
                long size = EventSize.of(ChangeEvent.valueField(normalized.value(), ChangeEvent.BEFORE))
                        + EventSize.of(ChangeEvent.valueField(normalized.value(), ChangeEvent.AFTER));
                if (size > maxEventBytes) {
                    return oversized(record, normalized, size);
                }
            }
            return normalized;
        } catch (UnorderableChangeException e) {
            throw e;
        } catch (DataException e) {
            // On a sink's chain Connect has a dead-letter queue of its own for transform failures: let it take them.
            if (deadLetterTopic == null || !(record instanceof SourceRecord)) {
                throw e;
            }
            warnOnce(record, e.getMessage(), e);
            return DeadLetters.route(record, deadLetterTopic, NormalizeChangeEvent.class, e);
        }
    }

    /**
     * A change too large for Kafka's producer, set aside without its rows (which are what is too large): its key, type,
     * uuid, position and entity stay, to find it at the source.
     */
    private R oversized(R record, R normalized, long size) {
        Object entity = ChangeEvent.valueField(normalized.value(), ChangeEvent.ENTITY);
        DataException reason = new DataException("A change of " + entity + " is about " + size + " bytes of row images, more"
                + " than " + NormalizeChangeEventConfig.MAX_EVENT_BYTES + " (" + maxEventBytes + "): set aside without its rows."
                + " Raise " + NormalizeChangeEventConfig.MAX_EVENT_BYTES + " with the producer's max.request.size and the"
                + " topic's max.message.bytes, or leave the large column out of the capture");
        if (deadLetterTopic == null) {
            throw reason;
        }
        warnOnce(record, "oversized", reason);
        return DeadLetters.routeWithoutRows(record, normalized, size, deadLetterTopic, NormalizeChangeEvent.class, reason);
    }

    /** One warning per source topic and kind of reason: a keyless table's every insert must not flood the log. */
    private void warnOnce(R record, String kind, DataException e) {
        if (warned.size() < 10_000 && warned.add(record.topic() + '\u0000' + kind)) {
            LOG.warn("A change from {} goes to dead-letter topic {} (further ones for the same reason are not logged): {}",
                    record.topic(), deadLetterTopic, e.getMessage());
        }
    }

    private R normalize(R record) {
        Object value = record.value();
        if (value == null) {
            return tombstones == Handling.KEEP ? record : null;
        }
        if (value instanceof Struct struct) {
            return applyWithSchema(record, struct);
        }
        if (value instanceof Map<?, ?> map) {
            return applySchemaless(record, map);
        }
        throw new DataException("Expected a Debezium change event (Struct or Map) in topic " + record.topic()
                + ", got " + value.getClass().getName());
    }

    private R applyWithSchema(R record, Struct envelope) {
        Plan plan = plan(envelope.schema());
        if (plan == null) {
            return nonRows == Handling.KEEP ? record : null;
        }
        CrudType type = CrudType.fromDebeziumOp((String) envelope.get(plan.op));
        Struct source = (Struct) envelope.get(plan.source);
        if (source == null) {
            throw new DataException("Field 'source' is missing in a change event from topic " + record.topic());
        }
        Struct before = (Struct) envelope.get(plan.before);
        Struct after = (Struct) envelope.get(plan.after);
        String entity = entity(get(source, plan.db), get(source, plan.table));

        Struct key;
        List<String> configured = keyColumns.forEntity(entity);
        if (configured != null) {
            key = keyFromRow(after != null ? after : before, configured, entity);
        } else if (record.key() instanceof Struct debeziumKey) {
            key = avroNamed(debeziumKey);
        } else {
            throw missingKey(entity);
        }
        String id = EntityIds.of(key, entity);
        Struct transaction = plan.transaction == null ? null : (Struct) envelope.get(plan.transaction);
        BinlogPlace at = place(record, type, entity, id, new BinlogPlace.SourceFields(get(source, plan.connector),
                get(source, plan.serverId), get(source, plan.file), get(source, plan.pos), get(source, plan.row),
                get(source, plan.tsMs), transaction == null ? null : get(transaction, plan.totalOrder)));

        Struct value = new Struct(plan.schema)
                .put(plan.outUuid, at.uuid)
                .put(plan.outType, at.type)
                .put(plan.outTs, at.ts)
                .put(plan.outEntity, entity)
                .put(plan.outId, id)
                .put(plan.outPosition, at.position)
                .put(plan.outOrdinal, at.ordinal)
                .put(plan.outBefore, plan.before(before))
                .put(plan.outAfter, plan.after(after));
        return record.newRecord(record.topic(), record.kafkaPartition(), key.schema(), key, plan.schema, value,
                record.timestamp(), headers(record, at));
    }

    private R applySchemaless(R record, Map<?, ?> envelope) {
        if (!envelope.containsKey("op")) {
            return nonRows == Handling.KEEP ? record : null;
        }
        CrudType type = CrudType.fromDebeziumOp(asString(envelope.get("op"), "op"));
        if (!(envelope.get("source") instanceof Map<?, ?> source)) {
            throw new DataException("Field 'source' is missing in a change event from topic " + record.topic());
        }
        Map<?, ?> before = asMap(envelope.get("before"), "before");
        Map<?, ?> after = asMap(envelope.get("after"), "after");
        String entity = entity(source.get("db"), source.get("table"));

        Map<?, ?> key;
        List<String> configured = keyColumns.forEntity(entity);
        if (configured != null) {
            key = keyFromRow(after != null ? after : before, configured, entity);
        } else if (record.key() instanceof Map<?, ?> debeziumKey) {
            key = debeziumKey;
        } else {
            throw missingKey(entity);
        }
        String id = EntityIds.of(key, entity);
        Object totalOrder = envelope.get("transaction") instanceof Map<?, ?> transaction ? transaction.get("total_order") : null;
        BinlogPlace at = place(record, type, entity, id, new BinlogPlace.SourceFields(source.get("connector"),
                source.get("server_id"), source.get("file"), source.get("pos"), source.get("row"), source.get("ts_ms"),
                totalOrder));

        Map<String, Object> value = new LinkedHashMap<>(16);
        value.put(ChangeEvent.UUID, at.uuid);
        value.put(ChangeEvent.TYPE, at.type);
        value.put(ChangeEvent.TS, at.ts);
        value.put(ChangeEvent.ENTITY, entity);
        value.put(ChangeEvent.ID, id);
        value.put(ChangeEvent.POSITION, at.position);
        value.put(ChangeEvent.ORDINAL, at.ordinal);
        value.put(ChangeEvent.BEFORE, before);
        value.put(ChangeEvent.AFTER, after);
        return record.newRecord(record.topic(), record.kafkaPartition(), null, key, null, value, record.timestamp(),
                headers(record, at));
    }

    private static Headers headers(ConnectRecord<?> record, BinlogPlace at) {
        Headers headers = record.headers().duplicate();
        headers.remove(ChangeEvent.HEADER_TYPE).remove(ChangeEvent.HEADER_UUID).remove(ChangeEvent.HEADER_POSITION);
        return headers.addString(ChangeEvent.HEADER_TYPE, at.type)
                .addString(ChangeEvent.HEADER_UUID, at.uuid)
                .addLong(ChangeEvent.HEADER_POSITION, at.position);
    }

    /**
     * On the source side, from Debezium's source offset (docs/positions.md); elsewhere, from the source block. Either
     * way from this record alone: Connect re-applies the chain to a record whose send failed, and the event must
     * come out the same.
     */
    private BinlogPlace place(R record, CrudType type, String entity, String id, BinlogPlace.SourceFields source) {
        if (record instanceof SourceRecord sourceRecord && sourceRecord.sourceOffset() != null
                && !sourceRecord.sourceOffset().isEmpty()) {
            return BinlogPlace.fromOffset(type, entity, id, sourceRecord.sourceOffset(), source.tsMs(), epoch);
        }
        return BinlogPlace.of(type, entity, id, source, positionMode);
    }

    private static Object get(Struct struct, Field field) {
        return field == null ? null : struct.get(field);
    }

    private Plan plan(Schema envelope) {
        Plan last = lastPlan;
        if (last != null && last.envelope == envelope) {
            return last;
        }
        Plan plan = plans.get(envelope, schema -> Plan.of(schema, logicalTemporal));
        lastPlan = plan;
        return plan == Plan.NOT_A_ROW_CHANGE ? null : plan;
    }

    private Struct keyFromRow(Struct row, List<String> columns, String entity) {
        if (row == null) {
            throw new DataException("Change to " + entity + " has no row image to read key columns " + columns + " from");
        }
        Schema keySchema = keySchemas.get(row.schema(), rowSchema -> {
            SchemaBuilder builder = SchemaBuilder.struct().name(AvroNames.sanitize(schemaName(rowSchema.name(), ".Key")));
            for (String column : columns) {
                Field field = rowSchema.field(column);
                if (field == null) {
                    throw new DataException("Key column '" + column + "' configured in '" + NormalizeChangeEventConfig.KEY_COLUMNS
                            + "' for " + entity + " is not a column of that table");
                }
                builder.field(column, field.schema());
            }
            return builder.build();
        });
        Struct key = new Struct(keySchema);
        for (Field field : keySchema.fields()) {
            key.put(field, row.get(field.name()));
        }
        return key;
    }

    /** Debezium's key, renamed if its schema name is not a valid Avro name (its fields are never changed). */
    private Struct avroNamed(Struct key) {
        Optional<RowShape> shape = keyShapes.get(key.schema(), schema -> Optional.ofNullable(RowShape.of(schema, false)));
        return shape.isEmpty() ? key : shape.get().apply(key);
    }

    private static Map<String, Object> keyFromRow(Map<?, ?> row, List<String> columns, String entity) {
        if (row == null) {
            throw new DataException("Change to " + entity + " has no row image to read key columns " + columns + " from");
        }
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : columns) {
            if (!row.containsKey(column)) {
                throw new DataException("Key column '" + column + "' configured in '" + NormalizeChangeEventConfig.KEY_COLUMNS
                        + "' for " + entity + " is not a column of that table");
            }
            key.put(column, row.get(column));
        }
        return key;
    }

    private static DataException missingKey(String entity) {
        return new DataException("Table " + entity + " has no primary key and no key columns are configured for it;"
                + " to capture it, add an entry for it to '" + NormalizeChangeEventConfig.KEY_COLUMNS + "' (e.g. '" + entity
                + ":col1,col2') naming columns whose values are unique");
    }

    /** db.table, built once per table: Debezium hands out the same name strings for every record of a table. */
    private String entity(Object db, Object table) {
        if (!(db instanceof String) || !(table instanceof String)) {
            throw new DataException("Fields 'source.db' and 'source.table' are required to name the entity, got "
                    + db + " and " + table);
        }
        if (db != lastDb || table != lastTable) {
            if (!db.equals(lastDb) || !table.equals(lastTable)) {
                lastEntity = db + "." + table;
            }
            lastDb = db;
            lastTable = table;
        }
        return lastEntity;
    }

    static String schemaName(String sourceName, String suffix) {
        if (sourceName == null || sourceName.isEmpty()) {
            return "io.cdcmesh" + suffix;
        }
        for (String debeziumSuffix : new String[] {".Envelope", ".Value", ".Key"}) {
            if (sourceName.endsWith(debeziumSuffix)) {
                return sourceName.substring(0, sourceName.length() - debeziumSuffix.length()) + suffix;
            }
        }
        return sourceName + suffix;
    }

    private static String asString(Object value, String field) {
        if (value instanceof String s) {
            return s;
        }
        throw new DataException("Field '" + field + "' must be a string, got " + value);
    }

    private static Map<?, ?> asMap(Object value, String field) {
        if (value == null || value instanceof Map) {
            return (Map<?, ?>) value;
        }
        throw new DataException("Field '" + field + "' must be a row image (object), got " + value.getClass().getName());
    }

    @Override
    public ConfigDef config() {
        return CONFIG_DEF;
    }

    @Override
    public String version() {
        return Version.VERSION;
    }

    @Override
    public void close() {
        plans = null;
        keySchemas = null;
        keyShapes = null;
        lastPlan = null;
    }
}
