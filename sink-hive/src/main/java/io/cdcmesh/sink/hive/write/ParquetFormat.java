package io.cdcmesh.sink.hive.write;

import io.cdcmesh.sink.hive.schema.AuditColumn;
import io.cdcmesh.sink.hive.schema.AuditEvent;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
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
                for (int c = 0; c < layout.size(); c++) {
                    String text = layout.value(event, c);
                    if (text != null) {
                        add(group, c, schema.getType(c), text, layout.column(c).name());
                    }
                }
                writer.write(group);
            }
        }
    }

    private static void add(Group group, int field, Type type, String text, String column) {
        try {
            LogicalTypeAnnotation logical = type.getLogicalTypeAnnotation();
            switch (type.asPrimitiveType().getPrimitiveTypeName()) {
                case BOOLEAN -> group.add(field, Boolean.parseBoolean(text));
                case INT32 -> group.add(field, logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                        ? (int) LocalDate.parse(text).toEpochDay() : Integer.parseInt(text));
                case INT64 -> group.add(field, logical instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation
                        ? micros(text) : Long.parseLong(text));
                case DOUBLE -> group.add(field, Double.parseDouble(text));
                case FLOAT -> group.add(field, Float.parseFloat(text));
                case FIXED_LEN_BYTE_ARRAY -> {
                    int scale = ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation) logical).getScale();
                    group.add(field, Binary.fromConstantByteArray(fixed(new BigDecimal(text).setScale(scale).unscaledValue(),
                            type.asPrimitiveType().getTypeLength())));
                }
                case BINARY -> group.add(field, logical == null ? Binary.fromConstantByteArray(Base64.getDecoder().decode(text))
                        : Binary.fromString(text));
                default -> throw new IllegalArgumentException("unexpected Parquet type " + type);
            }
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Column '" + column + "' (" + type + "): cannot write '" + text + "': " + e.getMessage(), e);
        }
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
