package io.cdcmesh.sink.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Audit tables STORED AS ORC and AS PARQUET, on both write paths, against a real HiveServer2: Hive reads back exactly
 * what text tables hold. (Redelivery after a crash and added columns run for every format in {@link HiveAuditSinkTaskIT}.)
 */
@ExtendWith(HiveExtension.class)
class StorageFormatsIT {
    private static final String TOPIC = "studio.film.notes";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);
    private static final long DAY_1 = 1_763_856_000_000L; // 2025-11-23T00:00:00Z
    private static final Schema ROW = SchemaBuilder.struct().name("studio.film.notes.Value").optional()
            .field("id", Schema.INT32_SCHEMA)
            .field("note", Schema.OPTIONAL_STRING_SCHEMA)
            .field("budget", Decimal.builder(2).optional().parameter("connect.decimal.precision", "12").build())
            .field("launch", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
            .field("edited", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
            .field("blob", Schema.OPTIONAL_BYTES_SCHEMA)
            .field("flag", Schema.OPTIONAL_BOOLEAN_SCHEMA)
            .field("score", Schema.OPTIONAL_FLOAT64_SCHEMA)
            .field("small", Schema.OPTIONAL_INT16_SCHEMA)
            .build();
    private static final String TRICKY = "line\nbreak, tab\t, \\N, back\\slash, 'quote', ctrl\u0001a, emoji \uD83C\uDFAC";

    private final SinkTasks tasks = new SinkTasks();

    @AfterEach
    void stopTasks() {
        tasks.close();
    }

    @Test
    void orcAndParquetTablesHoldExactlyWhatTextTablesHoldOnBothWritePaths(HiveServer hive) {
        List<SinkRecord> records = records();
        Map<String, List<Map<String, Object>>> tables = new HashMap<>();
        for (String mode : List.of("files", "jdbc")) {
            for (String format : List.of("text", "orc", "parquet")) {
                String db = "audit_" + format + "_" + mode;
                HiveAuditSinkTask task = start(hive, db, new RecordingSinkContext(TP),
                        Map.of("flush.size", "3", "write.mode", mode, "storage.format", format));
                task.put(records);
                task.put(List.of());
                assertThat(task.preCommit(Map.of(TP, new OffsetAndMetadata(records.size()))))
                        .isEqualTo(Map.of(TP, new OffsetAndMetadata(records.size())));
                String inputFormat = hive.query("DESCRIBE FORMATTED " + db + ".film_notes").stream()
                        .filter(r -> "InputFormat:".equals(String.valueOf(r.get("col_name")).trim()))
                        .map(r -> String.valueOf(r.get("data_type")).trim()).findFirst().orElseThrow();
                assertThat(inputFormat).endsWith(Map.of("text", "TextInputFormat", "orc", "OrcInputFormat",
                        "parquet", "MapredParquetInputFormat").get(format));
                tables.put(format + "/" + mode, rows(hive, db + ".film_notes"));
            }
        }
        List<Map<String, Object>> text = tables.get("text/files");
        assertThat(text).hasSize(records.size());
        Map<String, Object> created = text.stream().filter(r -> "CREATE".equals(r.get("type"))).findFirst().orElseThrow();
        assertThat(created.get("after_note")).isEqualTo(TRICKY + 1);
        assertThat(new BigDecimal(created.get("after_budget").toString())).isEqualByComparingTo("1234.56");
        assertThat(created.get("after_edited").toString()).isEqualTo("2025-11-23 10:11:12.123456");
        assertThat(created.get("blob")).isEqualTo("AAH/");
        for (String table : List.of("orc/files", "parquet/files", "text/jdbc", "orc/jdbc", "parquet/jdbc")) {
            assertThat(tables.get(table)).as(table + " = text/files").isEqualTo(text);
        }
    }

    /** Every column of every row (binary as Base64, the partition too), ordered by uuid. */
    private static List<Map<String, Object>> rows(HiveServer hive, String table) {
        return hive.query("SELECT *, base64(after_blob) AS blob FROM " + table).stream()
                .map(r -> {
                    Map<String, Object> row = new TreeMap<>();
                    r.forEach((k, v) -> row.put(k.contains(".") ? k.substring(k.indexOf('.') + 1) : k,
                            v instanceof byte[] ? "bytes" : v == null ? null : v.toString()));
                    row.remove("after_blob");
                    row.remove("before_blob");
                    return row;
                })
                .sorted(java.util.Comparator.comparing(r -> String.valueOf(r.get("uuid"))))
                .collect(Collectors.toList());
    }

    private static List<SinkRecord> records() {
        AuditEvents events = new AuditEvents(TOPIC, "film.notes");
        List<SinkRecord> records = new ArrayList<>();
        Struct previous = null;
        for (int i = 1; i <= 7; i++) {
            Struct row = new Struct(ROW).put("id", i % 3).put("note", TRICKY + i).put("budget", new BigDecimal("1234.5" + (5 + i % 2)))
                    .put("launch", 20_270 + i).put("edited", 1_763_892_672_123_456L + i - 1).put("blob", new byte[] {0, (byte) i, -1})
                    .put("flag", i % 2 == 0).put("score", i / 3.0).put("small", (short) -i);
            if (i == 4) {
                row.put("note", null).put("budget", null).put("launch", null).put("edited", null).put("blob", null)
                        .put("flag", null).put("score", null).put("small", null);
            }
            String type = i == 1 ? "CREATE" : i == 7 ? "DELETE" : "UPDATE";
            records.add(events.event(type, type.equals("CREATE") ? null : previous, type.equals("DELETE") ? null : row,
                    100 + i, DAY_1 + i * 3_600_000L));
            previous = row;
        }
        return records;
    }

    private HiveAuditSinkTask start(HiveServer hive, String db, RecordingSinkContext context, Map<String, String> overrides) {
        return tasks.start(hive, db, context, overrides);
    }
}
