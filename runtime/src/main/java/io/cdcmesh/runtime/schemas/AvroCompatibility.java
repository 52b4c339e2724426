package io.cdcmesh.runtime.schemas;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * Avro's own reader/writer compatibility rules, per registry compatibility level, with each problem named by the
 * field it concerns ({@code after.rating}) rather than Avro's JSON-pointer location ({@code /fields/7/type/1/fields/3}).
 */
final class AvroCompatibility {
    private AvroCompatibility() {}

    /**
     * Problems with writing {@code candidate} after {@code existing} under {@code level}, empty if none. Levels that
     * are not about two versions (NONE) give none.
     */
    static List<String> problems(String level, Schema candidate, Schema existing) {
        List<String> problems = new ArrayList<>();
        String base = level.replace("_TRANSITIVE", "");
        if (base.equals("BACKWARD") || base.equals("FULL")) {
            problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(candidate, existing), candidate,
                    "the new schema cannot read data written with"));
        }
        if (base.equals("FORWARD") || base.equals("FULL")) {
            problems.addAll(describe(SchemaCompatibility.checkReaderWriterCompatibility(existing, candidate), existing,
                    "data written with the new schema cannot be read with"));
        }
        return problems;
    }

    private static List<String> describe(SchemaCompatibility.SchemaPairCompatibility result, Schema reader, String direction) {
        List<String> out = new ArrayList<>();
        for (String problem : problems(result.getResult(), reader, "")) {
            out.add(problem + "; " + direction);
        }
        return out;
    }

    /**
     * Each incompatibility as "field 'a.b': what". A record inside a union (a row image, optional) that changed
     * incompatibly shows up as a missing union branch; the record's own check then names the field inside it.
     */
    private static List<String> problems(SchemaCompatibility.SchemaCompatibilityResult result, Schema reader, String prefix) {
        List<String> out = new ArrayList<>();
        for (SchemaCompatibility.Incompatibility problem : result.getIncompatibilities()) {
            String path = join(prefix, fieldPath(reader, problem.getLocation()));
            Schema writerPart = problem.getWriterFragment();
            Schema readerPart = problem.getReaderFragment();
            if (problem.getType() == SchemaCompatibility.SchemaIncompatibilityType.MISSING_UNION_BRANCH
                    && readerPart != null && readerPart.getType() == Schema.Type.UNION && writerPart != null) {
                // The location ends with the index of the writer's branch that the reader's union cannot take.
                String location = problem.getLocation();
                String last = location.substring(location.lastIndexOf('/') + 1);
                Schema writerBranch = writerPart;
                if (writerPart.getType() == Schema.Type.UNION && last.chars().allMatch(Character::isDigit) && !last.isEmpty()) {
                    writerBranch = writerPart.getTypes().get(Integer.parseInt(last));
                    path = join(prefix, fieldPath(reader, location.substring(0, location.lastIndexOf('/'))));
                }
                Schema writerRecord = writerBranch;
                Schema sameRecord = writerRecord.getType() != Schema.Type.RECORD ? null : readerPart.getTypes().stream()
                        .filter(branch -> branch.getType() == Schema.Type.RECORD && branch.getFullName().equals(writerRecord.getFullName()))
                        .findFirst().orElse(null);
                if (sameRecord != null) {
                    List<String> inner = problems(SchemaCompatibility.checkReaderWriterCompatibility(sameRecord, writerRecord).getResult(),
                            sameRecord, path);
                    if (!inner.isEmpty()) {
                        out.addAll(inner);
                        continue;
                    }
                }
            }
            out.add("field '" + path + "': " + problem.getType().name().toLowerCase().replace('_', ' ') + " (" + problem.getMessage() + ")");
        }
        return out;
    }

    private static String join(String prefix, String path) {
        if (prefix.isEmpty()) {
            return path;
        }
        return path.startsWith("(the record itself") ? prefix : prefix + "." + path;
    }

    /** The dotted field path that an Avro compatibility location (a JSON pointer into the reader schema) points at. */
    static String fieldPath(Schema root, String location) {
        List<String> names = new ArrayList<>();
        Schema at = root;
        String[] steps = location.split("/");
        for (int i = 0; i < steps.length; i++) {
            String step = steps[i];
            if (step.isEmpty() || at == null) {
                continue;
            }
            switch (step) {
                case "fields" -> {
                    if (i + 1 < steps.length && at.getType() == Schema.Type.RECORD) {
                        int index = Integer.parseInt(steps[++i]);
                        Schema.Field field = at.getFields().get(index);
                        names.add(field.name());
                        at = field.schema();
                    }
                }
                case "type", "name", "size", "symbols" -> { }
                case "items" -> at = at.getType() == Schema.Type.ARRAY ? at.getElementType() : at;
                case "values" -> at = at.getType() == Schema.Type.MAP ? at.getValueType() : at;
                default -> {
                    if (at.getType() == Schema.Type.UNION && step.chars().allMatch(Character::isDigit)) {
                        at = at.getTypes().get(Integer.parseInt(step));
                    }
                }
            }
        }
        return names.isEmpty() ? "(the record itself: " + root.getFullName() + ")" : String.join(".", names);
    }
}
