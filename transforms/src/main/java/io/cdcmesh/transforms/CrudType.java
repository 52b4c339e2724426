package io.cdcmesh.transforms;

import java.util.Arrays;
import java.util.List;
import org.apache.kafka.connect.errors.DataException;

/** The operation of a normalized change event. */
public enum CrudType {
    CREATE,
    READ,
    UPDATE,
    DELETE;

    public static final List<String> NAMES = Arrays.stream(values()).map(Enum::name).toList();

    /** Maps Debezium's {@code op} ({@code c}, {@code r}, {@code u}, {@code d}). */
    public static CrudType fromDebeziumOp(String op) {
        if (op != null && op.length() == 1) {
            switch (op.charAt(0)) {
                case 'c':
                    return CREATE;
                case 'r':
                    return READ;
                case 'u':
                    return UPDATE;
                case 'd':
                    return DELETE;
                default:
                    break;
            }
        }
        throw new DataException("Unsupported Debezium operation in field 'op': '" + op
                + "' (expected c, r, u or d; truncate events are not row changes)");
    }

    /** Parses a type name as written in configs or headers, case-insensitively. */
    public static CrudType parse(String name) {
        for (CrudType type : values()) {
            if (type.name().equalsIgnoreCase(name)) {
                return type;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a change type; expected one of " + NAMES);
    }
}
