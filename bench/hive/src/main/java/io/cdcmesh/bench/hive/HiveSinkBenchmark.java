package io.cdcmesh.bench.hive;

import io.cdcmesh.sink.hive.HiveAuditSinkTask;
import io.cdcmesh.testkit.RecordingSinkContext;
import io.cdcmesh.testkit.hive.HiveServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The Hive audit sink's file path against the same approach by hand, on one real HiveServer2, in one run.
 *
 * <ul>
 *   <li><b>Sink</b>: the task, as a worker drives it (batches of 500 records, the consumer's default poll), turns
 *       normalized change events (an 8-column row, both images on updates: 26 audit columns) into rows and writes them
 *       with flush.size 50,000; the clock runs from the first put to the commit of the last offset. It creates the
 *       table and registers the partition itself.</li>
 *   <li><b>Ceiling</b>: the same rows, already rendered as text before the clock starts, written as files of 50,000
 *       rows through the same Hadoop FileSystem API into a partition directory, and the partition registered over
 *       JDBC. No conversion, no escaping, no bookkeeping: only the approach's own I/O and DDL.</li>
 * </ul>
 * Each side runs once on a warm-up table first; the figures are from the second run. Both results are counted in
 * Hive afterwards.
 */
public final class HiveSinkBenchmark {
    private static final int FLUSH = 50_000;
    private static final int POLL = 500;
    private static final long TS = 1_763_856_000_000L;
    private static final TopicPartition TP = new TopicPartition("studio.film.titles", 0);

    private HiveSinkBenchmark() {}

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("bench.hive.rows", 300_000);
        rows = Math.max(FLUSH, rows / FLUSH * FLUSH);
        try (HiveServer hive = HiveServer.launch()) {
            String root = hive.externalWarehouse().resolveSibling("bench-audit").toUri().toString();
            List<SinkRecord> records = records(rows);
            sink(hive, root, "warmup", records.subList(0, FLUSH));
            double sink = sink(hive, root, "bench", records);
            List<byte[]> files = rendered(rows);
            ceiling(hive, root, "warmup_ceiling", files.subList(0, 1));
            double ceiling = ceiling(hive, root, "bench_ceiling", files);
            System.out.println();
            System.out.println("== Hive audit sink benchmark (one HiveServer2 on local disk, 2 cores) ==");
            System.out.printf("rows: %,d, 26 columns, files of %,d rows, text format%n", rows, FLUSH);
            System.out.printf("  ceiling, pre-rendered text files + ADD PARTITION by hand: %,.0f rows/s%n", ceiling);
            System.out.printf("  sink, write.mode=files, from SinkRecords to committed offsets: %,.0f rows/s%n", sink);
            System.out.printf("  ratio sink/ceiling: %.2f (target >= 0.8; fast path target >= 50,000 rows/s)%n", sink / ceiling);
        }
    }

    private static double sink(HiveServer hive, String root, String database, List<SinkRecord> records) {
        Map<String, String> props = new HashMap<>();
        props.put("hive.jdbc.url", hive.jdbcUrl());
        props.put("hive.database", database);
        props.put("table.location", root);
        props.put("flush.size", Integer.toString(FLUSH));
        props.put("rotate.interval.ms", "3600000");
        RecordingSinkContext context = new RecordingSinkContext(TP);
        HiveAuditSinkTask task = new HiveAuditSinkTask();
        task.initialize(context);
        task.start(props);
        task.open(context.assignment);
        long started = System.nanoTime();
        for (int from = 0; from < records.size(); from += POLL) {
            task.put(records.subList(from, Math.min(records.size(), from + POLL)));
        }
        Map<TopicPartition, OffsetAndMetadata> committed = task.preCommit(Map.of(TP, new OffsetAndMetadata(records.size())));
        long elapsed = System.nanoTime() - started;
        task.stop();
        if (committed.get(TP) == null || committed.get(TP).offset() != records.size()) {
            throw new IllegalStateException("the sink committed " + committed + ", not all " + records.size() + " records");
        }
        verify(hive, database + ".film_titles", records.size());
        double rate = records.size() / (elapsed / 1e9);
        System.out.printf("[bench] sink into %s: %,d rows in %.2f s: %,.0f rows/s%n", database, records.size(), elapsed / 1e9, rate);
        return rate;
    }

    private static double ceiling(HiveServer hive, String root, String database, List<byte[]> files) throws IOException {
        String location = root + (root.endsWith("/") ? "" : "/") + database + "/film_titles";
        hive.execute("CREATE DATABASE IF NOT EXISTS " + database,
                "CREATE EXTERNAL TABLE " + database + ".film_titles (" + String.join(", ", COLUMNS) + ") PARTITIONED BY (day STRING)"
                        + " ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\001' STORED AS TEXTFILE LOCATION '" + location + "'");
        FileSystem fs = FileSystem.get(URI.create(location), new Configuration());
        fs.setWriteChecksum(false);
        long started = System.nanoTime();
        Path partition = new Path(location + "/day=2025-11-23");
        hive.execute("ALTER TABLE " + database + ".film_titles ADD PARTITION (day='2025-11-23') LOCATION '" + partition + "'");
        for (int i = 0; i < files.size(); i++) {
            Path tmp = new Path(location + "/.tmp/part-" + i);
            try (FSDataOutputStream out = fs.create(tmp, false)) {
                out.write(files.get(i));
                out.hsync();
            }
            fs.mkdirs(partition);
            fs.rename(tmp, new Path(partition, "part-" + i + ".txt"));
        }
        long elapsed = System.nanoTime() - started;
        long rows = (long) files.size() * FLUSH;
        verify(hive, database + ".film_titles", rows);
        double rate = rows / (elapsed / 1e9);
        System.out.printf("[bench] ceiling into %s: %,d rows in %.2f s: %,.0f rows/s%n", database, rows, elapsed / 1e9, rate);
        return rate;
    }

    private static void verify(HiveServer hive, String table, long expected) {
        Object count = hive.query("SELECT count(*) AS n FROM " + table).get(0).get("n");
        if (((Number) count).longValue() != expected) {
            throw new IllegalStateException(table + " holds " + count + " rows, expected " + expected);
        }
    }

    private static final List<String> COLUMNS = List.of("uuid STRING", "type STRING", "entity STRING", "id STRING", "ts BIGINT",
            "commit_time TIMESTAMP", "position BIGINT", "kafka_topic STRING", "kafka_partition INT", "kafka_offset BIGINT",
            "before_id INT", "after_id INT", "before_name STRING", "after_name STRING", "before_studio STRING", "after_studio STRING",
            "before_launch_date DATE", "after_launch_date DATE", "before_budget DECIMAL(12,2)", "after_budget DECIMAL(12,2)",
            "before_runtime_minutes INT", "after_runtime_minutes INT", "before_rating DOUBLE", "after_rating DOUBLE",
            "before_updated_at TIMESTAMP", "after_updated_at TIMESTAMP");

    /** The ceiling's input: rows like the sink writes, as text, FLUSH rows per file. */
    private static List<byte[]> rendered(int rows) {
        List<byte[]> files = new ArrayList<>();
        StringBuilder file = new StringBuilder(FLUSH * 400);
        for (int i = 0; i < rows; i++) {
            boolean insert = i % 4 == 0;
            String after = i + "\u0001Title number " + i + "\u0001Northlight\u00012025-07-0" + (1 + i % 9) + "\u0001" + (1_000_000 + i)
                    + ".25\u0001" + (80 + i % 90) + "\u0001" + (i % 100 / 10.0) + "\u00012025-11-01 10:00:00." + String.format("%06d", i % 1_000_000);
            file.append(UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8))).append('\u0001')
                    .append(insert ? "CREATE" : "UPDATE").append("\u0001film.titles\u0001").append(i).append('\u0001')
                    .append(TS + i).append("\u00012025-11-23 00:00:00\u0001").append(4_000L + i).append("\u0001studio.film.titles\u00010\u0001")
                    .append(i).append('\u0001');
            String[] a = after.split("\u0001");
            for (int c = 0; c < a.length; c++) {
                file.append(insert ? "\\N" : a[c]).append('\u0001').append(a[c]);
                if (c < a.length - 1) {
                    file.append('\u0001');
                }
            }
            file.append('\n');
            if ((i + 1) % FLUSH == 0) {
                files.add(file.toString().getBytes(StandardCharsets.UTF_8));
                file.setLength(0);
            }
        }
        return files;
    }

    private static List<SinkRecord> records(int rows) {
        Schema row = SchemaBuilder.struct().name("studio.film.titles.Value").optional()
                .field("id", Schema.INT32_SCHEMA)
                .field("name", Schema.OPTIONAL_STRING_SCHEMA)
                .field("studio", Schema.OPTIONAL_STRING_SCHEMA)
                .field("launch_date", SchemaBuilder.int32().name("io.debezium.time.Date").optional().build())
                .field("budget", Decimal.builder(2).parameter("connect.decimal.precision", "12").optional().build())
                .field("runtime_minutes", Schema.OPTIONAL_INT32_SCHEMA)
                .field("rating", Schema.OPTIONAL_FLOAT64_SCHEMA)
                .field("updated_at", SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").optional().build())
                .build();
        Schema event = SchemaBuilder.struct().name("studio.film.titles.ChangeEvent")
                .field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA).field("ts", Schema.INT64_SCHEMA)
                .field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
                .field("position", Schema.INT64_SCHEMA).field("before", row).field("after", row).build();
        List<SinkRecord> records = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            boolean insert = i % 4 == 0;
            Struct after = new Struct(row).put("id", i).put("name", "Title number " + i).put("studio", "Northlight")
                    .put("launch_date", 20_270 + i % 9).put("budget", new BigDecimal((1_000_000 + i) + ".25"))
                    .put("runtime_minutes", 80 + i % 90).put("rating", i % 100 / 10.0).put("updated_at", 1_761_991_200_000_000L + i);
            Struct value = new Struct(event).put("uuid", UUID.nameUUIDFromBytes(Integer.toString(i).getBytes(StandardCharsets.UTF_8)).toString())
                    .put("type", insert ? "CREATE" : "UPDATE").put("ts", TS + i).put("entity", "film.titles")
                    .put("id", Integer.toString(i)).put("position", 4_000L + i).put("before", insert ? null : after).put("after", after);
            records.add(new SinkRecord(TP.topic(), TP.partition(), null, null, event, value, i));
        }
        return records;
    }
}
