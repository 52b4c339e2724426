package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.sink.SinkRecord;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A value a columnar file can't hold is refused by column and type; the value itself is never in the message. */
class UnwritableValueTest {
    private static final String SENTINEL = "ROW-SENTINEL-7f3a";

    @TempDir
    java.nio.file.Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"orc", "parquet"})
    void theMessageNamesTheColumnAndTypeButNotTheValue(String format) throws Exception {
        Schema row = SchemaBuilder.struct().name("t.Value").optional().field("total", Schema.OPTIONAL_STRING_SCHEMA).build();
        Schema schema = SchemaBuilder.struct().field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA)
                .field("ts", Schema.INT64_SCHEMA).field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
                .field("position", Schema.INT64_SCHEMA).field("before", row).field("after", row).build();
        Struct value = new Struct(schema).put("uuid", "u").put("type", "CREATE").put("ts", 0L).put("entity", "db.t")
                .put("id", "1").put("position", 1L).put("after", new Struct(row).put("total", SENTINEL));
        AuditEvent event = AuditEvent.of(new SinkRecord("t", 0, null, null, schema, value, 0));
        List<AuditColumn> columns = new ArrayList<>(AuditEvent.EVENT_COLUMNS);
        columns.add(new AuditColumn("before_total", "DECIMAL(10,2)"));
        columns.add(new AuditColumn("after_total", "DECIMAL(10,2)"));
        Configuration conf = new Configuration();
        Path file = new Path(Files.createDirectories(dir.resolve(format)).toUri().toString(), "rows." + format);

        assertThatThrownBy(() -> DataFormat.of(format).write(conf, FileSystem.getLocal(conf), file, new RowLayout(columns), List.of(event)))
                .hasMessageContaining("after_total")
                .satisfies(e -> {
                    assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT)).contains("decimal(10,2)");
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(SENTINEL);
                    }
                });
    }
}
