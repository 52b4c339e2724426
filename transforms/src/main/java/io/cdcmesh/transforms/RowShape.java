package io.cdcmesh.transforms;

import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Timestamp;

/**
 * How a row image (before/after) or key leaves {@link NormalizeChangeEvent}: unchanged when its schema name is a
 * valid Avro name and no column needs a type or value change, else rebuilt once per source schema under an
 * {@link AvroNames Avro-valid name} and, with {@code temporal.types=logical}, with Debezium's exact date and time
 * types as Connect's logical types.
 *
 * <p>YEAR {@code 0000} is mended: the binlog client reads it as 1900 (it adds 1900 to the stored byte), a year no
 * YEAR column can hold (its range is 1901 to 2155, and 0000), so 1900 always means 0000.
 *
 * <p>So is the zero TIMESTAMP ({@code 0000-00-00 00:00:00}, allowed by some {@code sql_mode}s): a snapshot reads it as
 * null, the binlog as the epoch, an instant no TIMESTAMP column can hold (its range starts one second later). In a
 * nullable column the epoch becomes null, as the snapshot and zero DATETIMEs give.
 */
final class RowShape {
    private static final long MS_PER_DAY = 86_400_000L;

    private enum Change { NONE, DAYS_TO_DATE, MILLIS_TO_TIMESTAMP, YEAR_ZERO, ZERO_TIMESTAMP }

    private static final String YEAR = "io.debezium.time.Year";
    private static final String ZONED_TIMESTAMP = "io.debezium.time.ZonedTimestamp";
    /** How a ZonedTimestamp of the epoch starts; a fraction of zeros may follow, then Z. */
    private static final String EPOCH = "1970-01-01T00:00:00";
    /** What the binlog gives for YEAR 0000. */
    private static final int BINLOG_YEAR_ZERO = 1900;

    private final Schema source;
    private final Schema schema;
    private final Change[] changes;

    private RowShape(Schema source, Schema schema, Change[] changes) {
        this.source = source;
        this.schema = schema;
        this.changes = changes;
    }

    /** The shape for {@code source} (a struct schema), or null if it passes through unchanged. */
    static RowShape of(Schema source, boolean logicalTemporal) {
        if (source == null || source.type() != Schema.Type.STRUCT) {
            return null;
        }
        List<Field> fields = source.fields();
        Change[] changes = new Change[fields.size()];
        boolean any = false;
        for (Field field : fields) {
            Change change = YEAR.equals(field.schema().name()) ? Change.YEAR_ZERO
                    : ZONED_TIMESTAMP.equals(field.schema().name()) && field.schema().isOptional() ? Change.ZERO_TIMESTAMP
                    : logicalTemporal ? change(field.schema()) : Change.NONE;
            changes[field.index()] = change;
            any |= change != Change.NONE;
        }
        if (!any && AvroNames.isValid(source.name())) {
            return null;
        }
        SchemaBuilder builder = SchemaBuilder.struct().name(AvroNames.sanitize(source.name() == null ? "Row" : source.name()));
        if (source.isOptional()) {
            builder.optional();
        }
        if (source.version() != null) {
            builder.version(source.version());
        }
        if (source.doc() != null) {
            builder.doc(source.doc());
        }
        if (source.parameters() != null && !source.parameters().isEmpty()) {
            builder.parameters(source.parameters());
        }
        for (Field field : fields) {
            Change change = changes[field.index()];
            builder.field(field.name(), change == Change.NONE || change == Change.YEAR_ZERO || change == Change.ZERO_TIMESTAMP
                    ? field.schema() : logical(field.schema(), change));
        }
        return new RowShape(source, builder.build(), changes);
    }

    Schema schema() {
        return schema;
    }

    Schema source() {
        return source;
    }

    Struct apply(Struct row) {
        if (row == null) {
            return null;
        }
        Struct out = new Struct(schema);
        List<Field> in = row.schema().fields();
        List<Field> outFields = schema.fields();
        for (int i = 0; i < in.size(); i++) {
            out.put(outFields.get(i), convert(row.get(in.get(i)), changes[i]));
        }
        return out;
    }

    private static Change change(Schema field) {
        String name = field.name();
        if (name == null) {
            return Change.NONE;
        }
        return switch (name) {
            case "io.debezium.time.Date" -> Change.DAYS_TO_DATE;
            case "io.debezium.time.Timestamp" -> Change.MILLIS_TO_TIMESTAMP;
            default -> Change.NONE;
        };
    }

    private static Schema logical(Schema original, Change change) {
        SchemaBuilder builder = switch (change) {
            case DAYS_TO_DATE -> Date.builder();
            case MILLIS_TO_TIMESTAMP -> Timestamp.builder();
            case NONE, YEAR_ZERO, ZERO_TIMESTAMP -> throw new IllegalArgumentException("no change of type");
        };
        if (original.isOptional()) {
            builder.optional();
        }
        if (original.doc() != null) {
            builder.doc(original.doc());
        }
        Map<String, String> parameters = original.parameters();
        if (parameters != null && !parameters.isEmpty()) {
            builder.parameters(parameters);
        }
        if (original.defaultValue() != null) {
            builder.defaultValue(convert(original.defaultValue(), change));
        }
        return builder.build();
    }

    private static Object convert(Object value, Change change) {
        if (value == null || change == Change.NONE) {
            return value;
        }
        if (change == Change.ZERO_TIMESTAMP) {
            return isEpoch((String) value) ? null : value;
        }
        long n = ((Number) value).longValue();
        return switch (change) {
            case DAYS_TO_DATE -> new java.util.Date(n * MS_PER_DAY);
            case MILLIS_TO_TIMESTAMP -> new java.util.Date(n);
            case YEAR_ZERO -> n == BINLOG_YEAR_ZERO ? Integer.valueOf(0) : value;
            case NONE, ZERO_TIMESTAMP -> value;
        };
    }

    /** {@code 1970-01-01T00:00:00Z}, with or without a fraction of zeros. */
    static boolean isEpoch(String zoned) {
        if (!zoned.startsWith(EPOCH)) {
            return false;
        }
        int end = zoned.length() - 1;
        if (end < EPOCH.length() || zoned.charAt(end) != 'Z') {
            return false;
        }
        for (int i = EPOCH.length(); i < end; i++) {
            char c = zoned.charAt(i);
            if (c != '0' && !(c == '.' && i == EPOCH.length())) {
                return false;
            }
        }
        return true;
    }
}
