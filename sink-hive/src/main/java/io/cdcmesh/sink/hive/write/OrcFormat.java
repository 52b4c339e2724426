package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.HiveTypes;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
 * Hive writes them. Values go from the record straight into typed vectors; only a value whose Java type does not
 * match the column (never from a Connect schema this sink mapped) takes the way through its text form.
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
            TypeDescription[] columnTypes = types.toArray(TypeDescription[]::new);
            for (AuditEvent event : rows) {
                int row = batch.size++;
                int[] at = layout.indexes(event);
                for (int c = 0; c < at.length; c++) {
                    int index = at[c];
                    if (index < 0) {
                        batch.cols[c].noNulls = false;
                        batch.cols[c].isNull[row] = true;
                    } else {
                        set(batch.cols[c], columnTypes[c], row, event.kind(index), event.raw(index), layout, c);
                    }
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

    /** Puts one value, as the record holds it, into row {@code row} of a column vector of {@code type}. */
    static void set(ColumnVector vector, TypeDescription type, int row, HiveTypes.Kind kind, Object value, RowLayout layout,
            int column) {
        if (value == null) {
            vector.noNulls = false;
            vector.isNull[row] = true;
            return;
        }
        vector.isNull[row] = false;
        try {
            switch (type.getCategory()) {
                case BOOLEAN -> ((LongColumnVector) vector).vector[row] = (value instanceof Boolean b ? b : Boolean.parseBoolean(text(kind, value))) ? 1 : 0;
                case BYTE, SHORT, INT, LONG -> ((LongColumnVector) vector).vector[row] = value instanceof Number n ? n.longValue()
                        : Long.parseLong(text(kind, value));
                case FLOAT, DOUBLE -> ((DoubleColumnVector) vector).vector[row] = value instanceof Number n ? n.doubleValue()
                        : Double.parseDouble(text(kind, value));
                case DATE -> ((LongColumnVector) vector).vector[row] = HiveTypes.isDate(kind) ? HiveTypes.epochDay(kind, value)
                        : LocalDate.parse(text(kind, value)).toEpochDay();
                case TIMESTAMP -> {
                    TimestampColumnVector timestamps = (TimestampColumnVector) vector;
                    long second;
                    int nanos;
                    if (HiveTypes.isTimestamp(kind)) {
                        second = HiveTypes.epochSecond(kind, value);
                        nanos = HiveTypes.nanoOfSecond(kind, value);
                    } else {
                        LocalDateTime t = LocalDateTime.parse(text(kind, value), TIMESTAMP);
                        second = t.toEpochSecond(ZoneOffset.UTC);
                        nanos = t.getNano();
                    }
                    timestamps.time[row] = Math.addExact(Math.multiplyExact(second, 1_000L), nanos / 1_000_000);
                    timestamps.nanos[row] = nanos;
                }
                case DECIMAL -> ((DecimalColumnVector) vector).set(row, HiveDecimal.create(value instanceof BigDecimal d ? d
                        : new BigDecimal(text(kind, value))));
                case BINARY -> {
                    if (value instanceof byte[] || value instanceof ByteBuffer) {
                        byte[] bytes = HiveTypes.bytes(value);
                        ((BytesColumnVector) vector).setRef(row, bytes, 0, bytes.length);
                    } else {
                        ((BytesColumnVector) vector).setVal(row, Base64.getDecoder().decode(text(kind, value)));
                    }
                }
                case STRING, VARCHAR, CHAR -> {
                    byte[] utf8 = (value instanceof String s ? s : text(kind, value)).getBytes(StandardCharsets.UTF_8);
                    ((BytesColumnVector) vector).setRef(row, utf8, 0, utf8.length);
                }
                default -> throw new IllegalArgumentException("ORC type " + type + " is not one the audit tables use");
            }
        } catch (RuntimeException e) {
            // Neither the value nor the cause (whose message may quote it) goes on: this text reaches logs and DLQ headers.
            throw new IllegalArgumentException("Column '" + layout.column(column).name() + "' (" + type + "): cannot write its value as " + type
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String text(HiveTypes.Kind kind, Object value) {
        return HiveTypes.text(kind, value);
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
