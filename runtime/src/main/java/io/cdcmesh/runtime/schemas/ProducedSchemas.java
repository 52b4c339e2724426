package io.cdcmesh.runtime.schemas;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What a pipeline's source would write for each captured table now: one change event per table, built on the
 * schemas Debezium would use, passed through the source's own transform chain (NormalizeChangeEvent and whatever
 * follows it). An event a filter drops is tried as each other change type in turn.
 */
public final class ProducedSchemas {
    /** The topic and the key and value schemas the pipeline writes for one table. */
    public record Produced(String table, String topic, Schema key, Schema value) {}

    private static final List<String> OPS = List.of("u", "c", "d", "r");

    private ProducedSchemas() {}

    /**
     * @param chain the source's transforms; returns null for a record it drops
     * @return one entry per table; a table whose every change type the chain drops is left out and named in {@code dropped}
     */
    public static List<Produced> of(List<SourceSchemas.TableSchemas> tables, String connectorName, UnaryOperator<SourceRecord> chain,
            List<String> dropped) {
        List<Produced> out = new ArrayList<>();
        long position = 4;
        for (SourceSchemas.TableSchemas table : tables) {
            SourceRecord produced = null;
            for (String op : OPS) {
                try {
                    produced = chain.apply(event(table, connectorName, op, position));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("the source's transforms fail on a change to " + table.table() + ": "
                            + e.getMessage(), e);
                }
                position += 100;
                if (produced != null) {
                    break;
                }
            }
            if (produced == null) {
                dropped.add(table.table().toString());
                continue;
            }
            out.add(new Produced(table.table().toString(), produced.topic(), produced.keySchema(), produced.valueSchema()));
        }
        return out;
    }

    private static SourceRecord event(SourceSchemas.TableSchemas table, String connectorName, String op, long position) {
        Schema envelope = table.envelope();
        Schema sourceSchema = envelope.field("source").schema();
        Map<String, Object> source = new HashMap<>();
        source.put("connector", sourceSchema.field("connector") == null ? null : connectorName);
        source.put("name", "schemas-check");
        source.put("db", table.table().catalog());
        source.put("table", table.table().table());
        source.put("file", "binlog.000001");
        source.put("pos", position);
        source.put("row", 0);
        source.put("server_id", 1L);
        source.put("ts_ms", System.currentTimeMillis());
        source.keySet().removeIf(k -> sourceSchema.field(k) == null);
        Schema rowSchema = envelope.field("after").schema();
        Struct row = SampleValues.struct(rowSchema, Map.of());
        Map<String, Object> values = new HashMap<>();
        values.put("op", op);
        values.put("source", SampleValues.struct(sourceSchema, source));
        values.put("before", op.equals("c") || op.equals("r") ? null : row);
        values.put("after", op.equals("d") ? null : row);
        values.put("ts_ms", System.currentTimeMillis());
        if (envelope.field("transaction") != null) {
            Schema tx = envelope.field("transaction").schema();
            values.put("transaction", SampleValues.struct(tx, Map.of("id", "schemas-check", "total_order", 1L,
                    "data_collection_order", 1L)));
        }
        values.keySet().removeIf(k -> envelope.field(k) == null);
        Struct value = SampleValues.struct(envelope, values);
        Struct key = table.key() == null ? null : SampleValues.struct(table.key(), Map.of());
        return new SourceRecord(Map.of(), Map.of(), table.topic(), null, table.key(), key, envelope, value);
    }
}
