package io.cdcmesh.runtime.embedded;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

/** Snapshot rows read so far per table, for the progress display. */
final class SnapshotCounter {
    private final String topicPrefix;
    private final Map<String, LongAdder> rows = new ConcurrentHashMap<>();

    SnapshotCounter(String topicPrefix) {
        this.topicPrefix = topicPrefix;
    }

    /** Counts a Debezium snapshot read ({@code op = r}) under its table, {@code db.table}. */
    void count(SourceRecord record) {
        if (record.value() instanceof Struct value && value.schema().field("op") != null && "r".equals(value.get("op"))) {
            String table = record.topic().startsWith(topicPrefix + ".") ? record.topic().substring(topicPrefix.length() + 1)
                    : record.topic();
            rows.computeIfAbsent(table, k -> new LongAdder()).increment();
        }
    }

    Map<String, Long> rows() {
        Map<String, Long> out = new TreeMap<>();
        rows.forEach((table, count) -> out.put(table, count.sum()));
        return out;
    }
}
