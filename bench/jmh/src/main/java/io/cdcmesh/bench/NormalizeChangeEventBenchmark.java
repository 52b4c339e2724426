package io.cdcmesh.bench;

import io.cdcmesh.transforms.NormalizeChangeEvent;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
        records = DebeziumTitles.records(RECORDS);
        normalize = new NormalizeChangeEvent<>();
        normalize.configure(Map.of());
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
