package io.cdcmesh.bench;

import io.cdcmesh.transforms.NormalizeChangeEvent;
import java.math.BigDecimal;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * NormalizeChangeEvent on schema'd Debezium MySQL records whose schemas are cached (one table, its schema
 * instance reused as Debezium and the converters do), in records per second per thread.
 *
 * <p>{@code baselineNewRecord} is the ceiling: the least any transformation does, copying the record with
 * {@code newRecord} and a duplicated header set. {@code normalize} adds everything NormalizeChangeEvent does:
 * op to type, position fold, canonical id, SHA-1 name-based uuid, the output Struct and three headers.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class NormalizeChangeEventBenchmark {
    private static final int RECORDS = 4096;

    private SourceRecord[] records;
    private NormalizeChangeEvent<SourceRecord> normalize;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        Schema row = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("studio", Schema.OPTIONAL_STRING_SCHEMA)
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("budget", Decimal.builder(2).optional().build())
                .field("runtime_minutes", Schema.OPTIONAL_INT32_SCHEMA)
                .field("rating", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("updated_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
                .build();
        Schema source = SchemaBuilder.struct().name("io.debezium.connector.mysql.Source")
                .field("version", Schema.STRING_SCHEMA).field("connector", Schema.STRING_SCHEMA)
                .field("name", Schema.STRING_SCHEMA).field("ts_ms", Schema.INT64_SCHEMA)
                .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).field("db", Schema.STRING_SCHEMA)
                .field("table", Schema.OPTIONAL_STRING_SCHEMA).field("server_id", Schema.INT64_SCHEMA)
                .field("file", Schema.STRING_SCHEMA).field("pos", Schema.INT64_SCHEMA).field("row", Schema.INT32_SCHEMA)
                .field("thread", Schema.OPTIONAL_INT64_SCHEMA).build();
        Schema envelope = SchemaBuilder.struct().name("studio.film.titles.Envelope")
                .field("before", row).field("after", row).field("source", source)
                .field("op", Schema.STRING_SCHEMA).field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
        Schema key = SchemaBuilder.struct().name("studio.film.titles.Key").field("id", Schema.INT32_SCHEMA).build();

        records = new SourceRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            Struct before = titleRow(row, i, 20_270);
            Struct after = titleRow(row, i, 20_240 + i % 30);
            boolean insert = i % 4 == 0;
            Struct value = new Struct(envelope)
                    .put("before", insert ? null : before).put("after", after)
                    .put("source", new Struct(source).put("version", "3.5.0.Final").put("connector", "mysql")
                            .put("name", "studio").put("ts_ms", 1_750_000_000_000L + i).put("db", "film")
                            .put("table", "titles").put("server_id", 1L).put("file", "mysql-bin.000042")
                            .put("pos", 4_000L + 1_000L * (i / 4)).put("row", i % 4).put("thread", 7L))
                    .put("op", insert ? "c" : "u").put("ts_ms", 1_750_000_000_005L + i);
            records[i] = new SourceRecord(Map.of("server", "studio"), Map.of("pos", i), "studio.film.titles", 0,
                    key, new Struct(key).put("id", i), envelope, value);
        }
        normalize = new NormalizeChangeEvent<>();
        normalize.configure(Map.of());
    }

    private static Struct titleRow(Schema row, int id, int launchDate) {
        return new Struct(row).put("id", id).put("name", "Title " + id).put("studio", "Northlight")
                .put("launch_date", launchDate).put("budget", new BigDecimal("1250000.00"))
                .put("runtime_minutes", 90 + id % 60).put("rating", 7.5).put("updated_at", 1_750_000_000_000_000L);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        normalize.close();
    }

    @Benchmark
    public SourceRecord normalize() {
        SourceRecord record = records[next];
        next = (next + 1) & (RECORDS - 1);
        return normalize.apply(record);
    }

    @Benchmark
    public SourceRecord baselineNewRecord() {
        SourceRecord record = records[next];
        next = (next + 1) & (RECORDS - 1);
        return record.newRecord(record.topic(), record.kafkaPartition(), record.keySchema(), record.key(),
                record.valueSchema(), record.value(), record.timestamp(), record.headers().duplicate());
    }
}
