package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hive.common.type.HiveDecimal;
import org.apache.hadoop.hive.ql.exec.vector.BytesColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.ColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DecimalColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.DoubleColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.LongColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.TimestampColumnVector;
import org.apache.hadoop.hive.ql.exec.vector.VectorizedRowBatch;
import org.apache.orc.OrcFile;
import org.apache.orc.Reader;
import org.apache.orc.RecordReader;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;

/**
 * ORC files, as Hive's own {@code STORED AS ORC} tables hold them: one struct column per table column (named as the
 * column, so Hive maps them by name and a column added later reads as NULL in older files), timestamps in UTC as
 * Hive writes them. Values come in Hive's text form ({@link RowLayout#value}) and are parsed once into typed vectors.
 */
final class OrcFormat implements DataFormat {
    static final OrcFormat INSTANCE = new OrcFormat();
    private static final int BATCH = 1024;
    static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss").optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd().toFormatter(Locale.ROOT);

    private OrcFormat() {}

    @Override
    public String name() {
        return "orc";
    }

    @Override
    public String extension() {
        return "orc";
    }

    @Override
    public String storageClause() {
        return "STORED AS ORC";
    }

    static TypeDescription schema(RowLayout layout) {
        TypeDescription schema = TypeDescription.createStruct();
        for (int i = 0; i < layout.size(); i++) {
            AuditColumn column = layout.column(i);
            schema.addField(column.name(), TypeDescription.fromString(column.type().toLowerCase(Locale.ROOT)));
        }
        return schema;
    }

    @Override
    public void write(Configuration conf, FileSystem fs, Path path, RowLayout layout, List<AuditEvent> rows) throws IOException {
        TypeDescription schema = schema(layout);
        List<TypeDescription> types = schema.getChildren();
        try (Writer writer = OrcFile.createWriter(path, OrcFile.writerOptions(conf).fileSystem(fs).setSchema(schema)
                .overwrite(false).useUTCTimestamp(true))) {
            VectorizedRowBatch batch = schema.createRowBatch(BATCH);
            for (AuditEvent event : rows) {
                int row = batch.size++;
                for (int c = 0; c < types.size(); c++) {
                    set(batch.cols[c], types.get(c), row, layout.value(event, c), layout.column(c).name());
                }
                if (batch.size == batch.getMaxSize()) {
                    writer.addRowBatch(batch);
                    batch.reset();
                }
            }
            if (batch.size > 0) {
                writer.addRowBatch(batch);
            }
        }
    }

    /** Puts one value, given in Hive's text form, into row {@code row} of a column vector of {@code type}. */
    static void set(ColumnVector vector, TypeDescription type, int row, String text, String column) {
        if (text == null) {
            vector.noNulls = false;
            vector.isNull[row] = true;
            return;
        }
        vector.isNull[row] = false;
        try {
            switch (type.getCategory()) {
                case BOOLEAN -> ((LongColumnVector) vector).vector[row] = Boolean.parseBoolean(text) ? 1 : 0;
                case BYTE, SHORT, INT, LONG -> ((LongColumnVector) vector).vector[row] = Long.parseLong(text);
                case FLOAT, DOUBLE -> ((DoubleColumnVector) vector).vector[row] = Double.parseDouble(text);
                case DATE -> ((LongColumnVector) vector).vector[row] = LocalDate.parse(text).toEpochDay();
                case TIMESTAMP -> {
                    LocalDateTime t = LocalDateTime.parse(text, TIMESTAMP);
                    Timestamp ts = new Timestamp(t.toEpochSecond(ZoneOffset.UTC) * 1000L);
                    ts.setNanos(t.getNano());
                    ((TimestampColumnVector) vector).set(row, ts);
                }
                case DECIMAL -> ((DecimalColumnVector) vector).set(row, HiveDecimal.create(new BigDecimal(text)));
                case BINARY -> ((BytesColumnVector) vector).setVal(row, Base64.getDecoder().decode(text));
                case STRING, VARCHAR, CHAR -> ((BytesColumnVector) vector).setVal(row, text.getBytes(StandardCharsets.UTF_8));
                default -> throw new IllegalArgumentException("ORC type " + type + " is not one the audit tables use");
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Column '" + column + "' (" + type + "): cannot write '" + text + "': " + e.getMessage(), e);
        }
    }

    @Override
    public void uuidsAt(Configuration conf, FileSystem fs, Path file, long position, Set<String> uuids) throws IOException {
        try (Reader reader = OrcFile.createReader(file, OrcFile.readerOptions(conf).filesystem(fs).useUTCTimestamp(true))) {
            TypeDescription schema = reader.getSchema();
            boolean[] include = new boolean[schema.getMaximumId() + 1];
            include[0] = true;
            include[schema.getChildren().get(FileStore.UUID_COLUMN).getId()] = true;
            include[schema.getChildren().get(FileStore.POSITION_COLUMN).getId()] = true;
            VectorizedRowBatch batch = schema.createRowBatch();
            try (RecordReader rows = reader.rows(reader.options().include(include))) {
                while (rows.nextBatch(batch)) {
                    BytesColumnVector uuid = (BytesColumnVector) batch.cols[FileStore.UUID_COLUMN];
                    LongColumnVector positions = (LongColumnVector) batch.cols[FileStore.POSITION_COLUMN];
                    for (int r = 0; r < batch.size; r++) {
                        int p = positions.isRepeating ? 0 : r;
                        if (positions.vector[p] == position) {
                            int u = uuid.isRepeating ? 0 : r;
                            uuids.add(new String(uuid.vector[u], uuid.start[u], uuid.length[u], StandardCharsets.UTF_8));
                        }
                    }
                }
            }
        }
    }
}
