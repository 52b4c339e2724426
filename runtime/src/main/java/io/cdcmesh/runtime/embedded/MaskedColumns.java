package io.cdcmesh.runtime.embedded;

import java.util.Map;
import java.util.Optional;

/**
 * A source that masks or truncates column values (Debezium's {@code column.mask.with.*}, {@code column.mask.hash.*},
 * {@code column.truncate.to.*}) cannot feed an Elasticsearch sink in lookup mode ({@code document.source=lookup}): the
 * sink re-reads each row from the database, where the values are whole, and would index what the source hides.
 * Columns the source leaves out (include/exclude lists) are fine: lookup reads only the event's columns.
 */
public final class MaskedColumns {
    private MaskedColumns() {}

    /** The first key of {@code source} that masks or truncates column values, if any. */
    public static Optional<String> maskingKey(Map<String, String> source) {
        return source.keySet().stream().filter(k -> k.startsWith("column.mask.") || k.startsWith("column.truncate.to."))
                .sorted().findFirst();
    }

    /** Whether the sink re-reads rows from the source database. */
    public static boolean looksUp(Map<String, String> sink) {
        return sink.getOrDefault("connector.class", "").endsWith("ElasticsearchSinkConnector")
                && "lookup".equalsIgnoreCase(sink.getOrDefault("document.source", "").trim());
    }

    public static String problem(String source, String key, String sink) {
        return "connector '" + source + "' key '" + key + "': masks or truncates column values, but sink '" + sink
                + "' (document.source=lookup) re-reads rows from the database and would index them whole; use"
                + " document.source=event for that sink, or leave the column out of the source (column.exclude.list)";
    }
}
