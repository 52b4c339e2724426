package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import io.cdcmesh.sink.hive.schema.HiveTypes;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Parquet files for {@code STORED AS PARQUET} tables: one optional column per table column, named as it (Hive maps
 * Parquet columns by name, so a column added later reads as NULL in older files). Types as Hive reads them: strings
 * as UTF-8 binary, DATE as int32 date, DECIMAL(p,s) as fixed-length bytes, TIMESTAMP as int64 microseconds of a
 * local date-time (not adjusted to UTC: Hive's TIMESTAMP has no zone), sub-microsecond digits dropped. Pages are
 * dictionary-encoded, uncompressed (no native codec needed on the worker).
 */
final class ParquetFormat implements DataFormat {
    static final ParquetFormat INSTANCE = new ParquetFormat();
    private static final Pattern DECIMAL = Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");

    private ParquetFormat() {}

    @Override
    public String name() {
        return "parquet";
    }

    @Override
    public String extension() {
        return "parquet";
    }

    @Override
    public String storageClause() {
        return "STORED AS PARQUET";
    }

    static MessageType schema(RowLayout layout) {
        Types.MessageTypeBuilder message = Types.buildMessage();
        for (int i = 0; i < layout.size(); i++) {
            message.addField(type(layout.column(i)));
        }
        return message.named("audit");
    }

    private static Type type(AuditColumn column) {
        String hive = column.type().toUpperCase(Locale.ROOT).replace(" ", "");
        String name = column.name();
        Matcher decimal = DECIMAL.matcher(hive);
        if (decimal.matches()) {
            int precision = Integer.parseInt(decimal.group(1));
            int scale = Integer.parseInt(decimal.group(2));
            return Types.optional(PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY).length(bytesFor(precision))
                    .as(LogicalTypeAnnotation.decimalType(scale, precision)).named(name);
        }
        if (hive.startsWith("VARCHAR") || hive.startsWith("CHAR") || hive.equals("STRING")) {
            return Types.optional(PrimitiveTypeName.BINARY).as(LogicalTypeAnnotation.stringType()).named(name);
        }
        return switch (hive) {
            case "BIGINT" -> Types.optional(PrimitiveTypeName.INT64).named(name);
            case "INT" -> Types.optional(PrimitiveTypeName.INT32).named(name);
            case "SMALLINT" -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(16, true)).named(name);
            case "TINYINT" -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.intType(8, true)).named(name);
            case "BOOLEAN" -> Types.optional(PrimitiveTypeName.BOOLEAN).named(name);
            case "DOUBLE" -> Types.optional(PrimitiveTypeName.DOUBLE).named(name);
            case "FLOAT" -> Types.optional(PrimitiveTypeName.FLOAT).named(name);
            case "DATE" -> Types.optional(PrimitiveTypeName.INT32).as(LogicalTypeAnnotation.dateType()).named(name);
            case "TIMESTAMP" -> Types.optional(PrimitiveTypeName.INT64)
                    .as(LogicalTypeAnnotation.timestampType(false, LogicalTypeAnnotation.TimeUnit.MICROS)).named(name);
            case "BINARY" -> Types.optional(PrimitiveTypeName.BINARY).named(name);
            default -> throw new IllegalArgumentException("Column '" + name + "' has type " + column.type()
                    + ", which the Parquet files of audit tables do not hold");
        };
    }

    /** The fewest bytes whose two's complement holds every unscaled value of {@code precision} digits. */
    static int bytesFor(int precision) {
        return (BigInteger.TEN.pow(precision).subtract(BigInteger.ONE).bitLength() + 1 + 7) / 8;
    }

    @Override
    public void write(Configuration conf, FileSystem fs, Path path, RowLayout layout, List<AuditEvent> rows) throws IOException {
        MessageType schema = schema(layout);
        SimpleGroupFactory groups = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(HadoopOutputFile.fromPath(path, conf))
                .withConf(conf).withType(schema).withWriteMode(ParquetFileWriter.Mode.CREATE)
                .withCompressionCodec(CompressionCodecName.UNCOMPRESSED).withDictionaryEncoding(true).build()) {
            for (AuditEvent event : rows) {
                Group group = groups.newGroup();
                int[] at = layout.indexes(event);
                for (int c = 0; c < at.length; c++) {
                    Object value = at[c] < 0 ? null : event.raw(at[c]);
                    if (value != null) {
                        add(group, c, schema.getType(c), event.kind(at[c]), value, layout.column(c).name());
                    }
                }
                writer.write(group);
            }
        }
    }

    /** Adds one value, as the record holds it, as field {@code field} of a row. */
    private static void add(Group group, int field, Type type, HiveTypes.Kind kind, Object value, String column) {
        try {
            LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
            switch (type.asPrimitiveType().getPrimitiveTypeName()) {
                case BOOLEAN -> group.add(field, value instanceof Boolean b ? b : Boolean.parseBoolean(text(kind, value)));
                case INT32 -> group.add(field, logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                        ? Math.toIntExact(HiveTypes.isDate(kind) ? HiveTypes.epochDay(kind, value) : LocalDate.parse(text(kind, value)).toEpochDay())
                        : value instanceof Number n ? n.intValue() : Integer.parseInt(text(kind, value)));
                case INT64 -> group.add(field, logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
                        ? micros(kind, value) : value instanceof Number n ? n.longValue() : Long.parseLong(text(kind, value)));
                case DOUBLE -> group.add(field, value instanceof Number n ? n.doubleValue() : Double.parseDouble(text(kind, value)));
                case FLOAT -> group.add(field, value instanceof Number n ? n.floatValue() : Float.parseFloat(text(kind, value)));
                case FIXED_LEN_BYTE_ARRAY -> {
                    int scale = ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) logical).getScale();
                    BigDecimal decimal = value instanceof BigDecimal d ? d : new BigDecimal(text(kind, value));
                    group.add(field, Binary.fromConstantByteArray(fixed(decimal.setScale(scale).unscaledValue(),
                            type.asPrimitiveType().getTypeLength())));
                }
                case BINARY -> group.add(field, logical != null ? Binary.fromString(value instanceof String s ? s : text(kind, value))
                        : Binary.fromConstantByteArray(value instanceof byte[] || value instanceof ByteBuffer
                                ? HiveTypes.bytes(value) : Base64.getDecoder().decode(text(kind, value))));
                default -> throw new IllegalArgumentException("unexpected Parquet type " + type);
            }
        } catch (RuntimeException e) {
            // Neither the value nor the cause (whose message may quote it) goes on: this text reaches logs and DLQ headers.
            throw new IllegalArgumentException("Column '" + column + "' (" + type + "): cannot write its value as " + type
                    + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String text(HiveTypes.Kind kind, Object value) {
        return HiveTypes.text(kind, value);
    }

    /** Microseconds since the epoch of the local date-time; digits below a microsecond are dropped. */
    private static long micros(HiveTypes.Kind kind, Object value) {
        if (HiveTypes.isTimestamp(kind)) {
            return Math.addExact(Math.multiplyExact(HiveTypes.epochSecond(kind, value), 1_000_000L), HiveTypes.nanoOfSecond(kind, value) / 1_000);
        }
        return micros(text(kind, value));
    }

    private static long micros(String text) {
        LocalDateTime t = LocalDateTime.parse(text, OrcFormat.TIMESTAMP);
        return Math.addExact(Math.multiplyExact(t.toEpochSecond(ZoneOffset.UTC), 1_000_000L), t.getNano() / 1_000);
    }

    /** A two's-complement big-endian value sign-extended to {@code length} bytes. */
    private static byte[] fixed(BigInteger unscaled, int length) {
        byte[] minimal = unscaled.toByteArray();
        if (minimal.length > length) {
            throw new IllegalArgumentException("value does not fit " + length + " bytes");
        }
        byte[] out = new byte[length];
        byte pad = (byte) (unscaled.signum() < 0 ? 0xFF : 0x00);
        int offset = length - minimal.length;
        for (int i = 0; i < offset; i++) {
            out[i] = pad;
        }
        System.arraycopy(minimal, 0, out, offset, minimal.length);
        return out;
    }

    @Override
    public void uuidsAt(Configuration conf, FileSystem fs, Path file, long position, Set<String> uuids) throws IOException {
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), file).withConf(conf).build()) {
            for (Group row = reader.read(); row != null; row = reader.read()) {
                if (row.getFieldRepetitionCount(FileStore.POSITION_COLUMN) > 0 && row.getLong(FileStore.POSITION_COLUMN, 0) == position) {
                    uuids.add(row.getString(FileStore.UUID_COLUMN, 0));
                }
            }
        }
    }
}
