package io.cdcmesh.bench;

import io.cdcmesh.converters.json.JsonConverter;
import io.cdcmesh.transforms.NormalizeChangeEvent;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.source.SourceRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JSON with schemas (Kafka's envelope format) for normalized change events of one table, in records per second per
 * thread: cdc-mesh's JsonConverter against Kafka's, reading (what a sink task does per record) and writing (what a
 * source task does). Both give the same bytes and the same Connect data (JsonConverterTest).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JsonConverterBenchmark {
    private static final int RECORDS = 4096;

    private SourceRecord[] events;
    private byte[][] bytes;
    private org.apache.kafka.connect.json.JsonConverter kafka;
    private JsonConverter cdcmesh;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        NormalizeChangeEvent<SourceRecord> normalize = new NormalizeChangeEvent<>();
        normalize.configure(Map.of());
        SourceRecord[] debezium = DebeziumTitles.records(RECORDS);
        kafka = new org.apache.kafka.connect.json.JsonConverter();
        kafka.configure(Map.of(), false);
        cdcmesh = new JsonConverter();
        cdcmesh.configure(Map.of(), false);
        events = new SourceRecord[RECORDS];
        bytes = new byte[RECORDS][];
        for (int i = 0; i < RECORDS; i++) {
            events[i] = normalize.apply(debezium[i]);
            bytes[i] = kafka.fromConnectData(events[i].topic(), events[i].valueSchema(), events[i].value());
        }
        normalize.close();
    }

    private int next() {
        int i = next;
        next = (i + 1) & (RECORDS - 1);
        return i;
    }

    @Benchmark
    public SchemaAndValue readKafka() {
        return kafka.toConnectData("t", bytes[next()]);
    }

    @Benchmark
    public SchemaAndValue readCdcMesh() {
        return cdcmesh.toConnectData("t", bytes[next()]);
    }

    @Benchmark
    public byte[] writeKafka() {
        SourceRecord event = events[next()];
        return kafka.fromConnectData(event.topic(), event.valueSchema(), event.value());
    }

    @Benchmark
    public byte[] writeCdcMesh() {
        SourceRecord event = events[next()];
        return cdcmesh.fromConnectData(event.topic(), event.valueSchema(), event.value());
    }
}
