package io.cdcmesh.sink.hive.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The {@code before_}/{@code after_} columns of one row schema: Hive names checked and types mapped once per schema
 * instance (converters reuse schema instances), not once per record.
 */
public final class ImagePlan {
    private static final int CACHE_SIZE = 256;
    private static final Map<Schema, ImagePlan> CACHE = Collections.synchronizedMap(new IdentityHashMap<>());

    private final List<AuditColumn> columns;
    private final Map<String, Integer> slots = new HashMap<>();
    private final Schema rowSchema;
    private final Field[] fields;
    private final String[] sourceNames;
    private final Schema[] schemas;
    private final HiveTypes.Kind[] kinds;
    /** Per source column, the {p, s} of its DECIMAL(p,s) type, or null; null as a whole if there is none. */
    private final int[][] decimalDigits;

    private ImagePlan(String entity, Schema rowSchema, List<String> names, List<Schema> fieldSchemas) {
        this.rowSchema = rowSchema;
        this.fields = rowSchema == null ? null : rowSchema.fields().toArray(Field[]::new);
        Map<String, AuditColumn> byName = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String column = HiveNames.column(names.get(i));
            String type = HiveTypes.of(fieldSchemas.get(i));
            for (String side : new String[] {"before_", "after_"}) {
                AuditColumn auditColumn = new AuditColumn(side + column, type);
                if (byName.putIfAbsent(auditColumn.name(), auditColumn) != null) {
                    throw new DataException("Columns of entity '" + entity + "' collide in Hive, which ignores case and"
                            + " holds fewer characters: '" + names.get(i) + "' and another column both become " + auditColumn.name());
                }
            }
        }
        this.columns = List.copyOf(byName.values());
        for (int i = 0; i < columns.size(); i++) {
            slots.put(columns.get(i).name(), i);
        }
        this.sourceNames = names.toArray(String[]::new);
        this.schemas = fieldSchemas.toArray(Schema[]::new);
        this.kinds = new HiveTypes.Kind[schemas.length];
        int[][] digits = new int[schemas.length][];
        boolean anyDecimal = false;
        for (int i = 0; i < schemas.length; i++) {
            kinds[i] = HiveTypes.kind(schemas[i]);
            digits[i] = HiveTypes.decimalDigits(HiveTypes.of(schemas[i]));
            anyDecimal |= digits[i] != null;
        }
        this.decimalDigits = anyDecimal ? digits : null;
    }

    /**
     * Refuses an image holding a decimal its Hive column can't hold (Hive would read it as NULL): names the column
     * and the type, never the value.
     */
    void checkFits(Object image, String entity) {
        if (decimalDigits == null || image == null) {
            return;
        }
        for (int i = 0; i < decimalDigits.length; i++) {
            int[] ps = decimalDigits[i];
            if (ps != null && value(image, i) instanceof BigDecimal decimal
                    && (decimal.scale() > ps[1] || decimal.precision() - decimal.scale() > ps[0] - ps[1])) {
                throw new DataException("Column '" + sourceNames[i] + "' of entity '" + entity + "' holds a value with more"
                        + " digits than its Hive column DECIMAL(" + ps[0] + "," + ps[1] + ") keeps; Hive would read it as NULL");
            }
        }
    }

    /** The plan of a row schema, from the cache. */
    static ImagePlan of(Schema rowSchema, String entity) {
        ImagePlan plan = CACHE.get(rowSchema);
        if (plan == null) {
            List<String> names = new ArrayList<>();
            List<Schema> schemas = new ArrayList<>();
            for (Field field : rowSchema.fields()) {
                names.add(field.name());
                schemas.add(field.schema());
            }
            plan = new ImagePlan(entity, rowSchema, names, schemas);
            synchronized (CACHE) {
                if (CACHE.size() >= CACHE_SIZE) {
                    CACHE.clear();
                }
                CACHE.put(rowSchema, plan);
            }
        }
        return plan;
    }

    /** The plan of schemaless images (maps): every column STRING, worked out per record. */
    static ImagePlan ofMaps(Map<?, ?> before, Map<?, ?> after, String entity) {
        List<String> names = new ArrayList<>();
        for (Map<?, ?> image : Arrays.asList(after, before)) {
            if (image != null) {
                for (Object key : image.keySet()) {
                    if (!names.contains(String.valueOf(key))) {
                        names.add(String.valueOf(key));
                    }
                }
            }
        }
        List<Schema> schemas = new ArrayList<>(Collections.nCopies(names.size(), (Schema) null));
        return new ImagePlan(entity, null, names, schemas);
    }

    /** before_c, after_c for each source column c, in the row's column order. */
    public List<AuditColumn> columns() {
        return columns;
    }

    /** The slot of an image column, or -1. */
    public int slot(String column) {
        Integer slot = slots.get(column);
        return slot == null ? -1 : slot;
    }

    HiveTypes.Kind kind(int i) {
        return kinds[i];
    }

    /** The value of source column {@code i} in a row image (a struct of this plan's schema, or a map), or null. */
    Object value(Object image, int i) {
        if (image instanceof Struct struct) {
            if (struct.schema() == rowSchema) {
                return struct.get(fields[i]);
            }
            Field field = struct.schema().field(sourceNames[i]);
            return field == null ? null : struct.get(field);
        }
        if (image instanceof Map<?, ?> map) {
            return map.get(sourceNames[i]);
        }
        return null;
    }
}
