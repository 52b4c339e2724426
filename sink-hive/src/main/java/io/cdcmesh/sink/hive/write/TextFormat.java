package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** LazySimpleSerDe text files ({@link TextRows}): the default, and what the JDBC path's tables have always been. */
final class TextFormat implements DataFormat {
    static final TextFormat INSTANCE = new TextFormat();

    /** \001 between fields, backslash escapes (also for CR and LF), \N for null. */
    static final String STORAGE = "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe'"
            + " WITH SERDEPROPERTIES ('field.delim'='\\001', 'escape.delim'='\\\\', 'serialization.escape.crlf'='true',"
            + " 'serialization.null.format'='\\\\N', 'serialization.encoding'='UTF-8') STORED AS TEXTFILE";

    private TextFormat() {}

    @Override
    public String name() {
        return "text";
    }

    @Override
    public String extension() {
        return "txt";
    }

    @Override
    public String storageClause() {
        return STORAGE;
    }

    @Override
    public void write(Configuration conf, FileSystem fs, Path path, RowLayout layout, List<AuditEvent> rows) throws IOException {
        try (FSDataOutputStream out = fs.create(path, false)) {
            TextRows text = new TextRows(out);
            for (AuditEvent event : rows) {
                int[] at = layout.indexes(event);
                for (int index : at) {
                    if (index < 0) {
                        text.field(null);
                    } else {
                        text.value(event.kind(index), event.raw(index));
                    }
                }
                text.endRow();
            }
            text.finish();
            out.hsync();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void uuidsAt(Configuration conf, FileSystem fs, Path file, long position, Set<String> uuids) throws IOException {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                List<String> values = TextRows.parse(line);
                if (Long.parseLong(values.get(FileStore.POSITION_COLUMN)) == position) {
                    uuids.add(values.get(FileStore.UUID_COLUMN));
                }
            }
        }
    }
}
