package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A storage format of audit tables: how a table is declared, and how the files path writes and reads its data
 * files. The format of an existing table is read from the metastore ({@link #ofInputFormat}), so files always
 * match the table, whatever {@code storage.format} says now.
 */
interface DataFormat {
    /** The config value: text, orc, parquet. */
    String name();

    /** The data files' extension: txt, orc, parquet. */
    String extension();

    /** The storage clause of CREATE TABLE. */
    String storageClause();

    /** Writes the rows (in the table's column order) as one new file at {@code path}. */
    void write(Configuration conf, FileSystem fs, Path path, RowLayout layout, List<AuditEvent> rows) throws IOException;

    /** Adds to {@code uuids} the uuid of every row in {@code file} whose position is {@code position}. */
    void uuidsAt(Configuration conf, FileSystem fs, Path file, long position, Set<String> uuids) throws IOException;

    static DataFormat of(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TextFormat.INSTANCE;
            case "orc" -> OrcFormat.INSTANCE;
            case "parquet" -> ParquetFormat.INSTANCE;
            default -> throw new IllegalArgumentException("Unknown storage format " + name);
        };
    }

    /** The format of a data file, by its extension; null for another file. */
    static DataFormat ofExtension(String extension) {
        return switch (extension) {
            case "txt" -> TextFormat.INSTANCE;
            case "orc" -> OrcFormat.INSTANCE;
            case "parquet" -> ParquetFormat.INSTANCE;
            default -> null;
        };
    }

    /** The format of a table whose metastore InputFormat is {@code inputFormat}; null for one this sink does not write. */
    static DataFormat ofInputFormat(String inputFormat) {
        if (inputFormat == null) {
            return null;
        }
        if (inputFormat.endsWith(".TextInputFormat")) {
            return TextFormat.INSTANCE;
        }
        if (inputFormat.endsWith(".OrcInputFormat")) {
            return OrcFormat.INSTANCE;
        }
        if (inputFormat.endsWith(".MapredParquetInputFormat")) {
            return ParquetFormat.INSTANCE;
        }
        return null;
    }
}
