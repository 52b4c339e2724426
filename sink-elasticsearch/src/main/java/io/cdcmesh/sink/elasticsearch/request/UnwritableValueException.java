package io.cdcmesh.sink.elasticsearch.request;

import org.apache.kafka.connect.errors.DataException;

/**
 * A column value that cannot be written as its mapping expects. Names the column (dotted path for nested fields)
 * and the reason, never the value: the message reaches logs and dead-letter headers.
 */
public final class UnwritableValueException extends DataException {
    private final String column;
    private final String reason;

    private UnwritableValueException(String column, String reason, Throwable cause) {
        super("column '" + column + "': " + reason, cause);
        this.column = column;
        this.reason = reason;
    }

    /** The error for a conversion of column {@code column} of schema {@code schemaName} that threw {@code cause}. */
    static UnwritableValueException of(String column, String schemaName, RuntimeException cause) {
        if (cause instanceof UnwritableValueException inner) {
            return new UnwritableValueException(column + "." + inner.column, inner.reason, inner.getCause());
        }
        return new UnwritableValueException(column, "its value of type " + (schemaName == null ? "(no name)" : schemaName)
                + " cannot be written as JSON for Elasticsearch (" + cause.getClass().getSimpleName() + ")", cause);
    }

    public String column() {
        return column;
    }
}
