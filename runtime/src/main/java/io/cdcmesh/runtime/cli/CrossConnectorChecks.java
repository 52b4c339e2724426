package io.cdcmesh.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcmesh.runtime.embedded.MaskedColumns;
import io.cdcmesh.runtime.embedded.PipelineFile;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What no single connector's {@code validate()} can see, checked across the configs being deployed and the
 * connectors already on the worker:
 * <ul>
 *   <li>a sink subscribed to topics no source produces (a typo in a topic or prefix: the sink would wait forever);</li>
 *   <li>deletes that would be lost before an Elasticsearch sink (which mirrors state): a source that skips them
 *       ({@code skipped.operations} with {@code d}), or a chain that filters DELETE events out
 *       ({@code Filter} with the {@code ChangeTypeIs} predicate);</li>
 *   <li>changes an audit sink (Hive) would never see: a source skipping creates, updates or deletes;</li>
 *   <li>a lookup-mode Elasticsearch sink behind a source that masks column values ({@link MaskedColumns}).</li>
 * </ul>
 */
final class CrossConnectorChecks {
    private static final String FILTER = "org.apache.kafka.connect.transforms.Filter";
    private static final String CHANGE_TYPE_IS = "io.cdcmesh.transforms.predicates.ChangeTypeIs";

    private record Source(String name, String file, PipelineFile.Section section, String prefix, List<Pattern> databases) {
        boolean produces(String topic) {
            if (!topic.startsWith(prefix + ".")) {
                return false;
            }
            String[] parts = topic.substring(prefix.length() + 1).split("\\.", 2);
            return databases.isEmpty() || parts.length < 2 || databases.stream().anyMatch(p -> p.matcher(parts[0]).matches());
        }

        /** True if the sink's regex can match a topic of this source (it matches, or more input could make it match). */
        boolean couldProduce(Pattern regex) {
            Matcher m = regex.matcher(prefix + ".");
            return m.matches() || m.hitEnd();
        }

        Set<String> skipped() {
            Set<String> ops = new HashSet<>();
            String value = section == null ? null : section.config().get("skipped.operations");
            if (value != null) {
                for (String op : value.split(",")) {
                    ops.add(op.trim().toLowerCase(Locale.ROOT));
                }
            }
            return ops;
        }
    }

    private CrossConnectorChecks() {}

    static List<String> check(List<PipelineFile.Section> connectors, Map<String, String> fileOf, ConnectClient client)
            throws IOException, InterruptedException {
        List<String> errors = new ArrayList<>();
        List<Source> sources = new ArrayList<>();
        Set<String> deploying = new HashSet<>();
        for (PipelineFile.Section connector : connectors) {
            deploying.add(connector.name());
            source(connector, fileOf.get(connector.name())).ifPresent(sources::add);
        }
        for (JsonNode name : client.connectors()) {
            if (!deploying.contains(name.asText())) {
                JsonNode config = client.config(name.asText());
                if (config != null) {
                    Map<String, String> map = DeployCommand.asMap(config);
                    source(new PipelineFile.Section("connector", name.asText(), 0, map, Map.of()), "the worker")
                            .ifPresent(sources::add);
                }
            }
        }
        for (PipelineFile.Section sink : connectors) {
            String file = fileOf.get(sink.name());
            List<Source> feeding = feeding(sink, file, sources, errors);
            String connectorClass = sink.config().getOrDefault("connector.class", "");
            boolean mirrorsState = connectorClass.endsWith("ElasticsearchSinkConnector");
            boolean audits = connectorClass.endsWith("HiveAuditSinkConnector");
            for (Source source : feeding) {
                Set<String> skipped = source.skipped();
                String where = source.file() + ":" + (source.section() == null ? 0 : source.section().lineOf("skipped.operations"));
                if (mirrorsState && skipped.contains("d")) {
                    errors.add(where + ": connector '" + source.name() + "' key 'skipped.operations': skips deletes, so rows"
                            + " deleted at the source would stay in the index of sink '" + sink.name() + "'");
                }
                if (audits && (skipped.contains("c") || skipped.contains("u") || skipped.contains("d"))) {
                    errors.add(where + ": connector '" + source.name() + "' key 'skipped.operations': skips "
                            + skipped + ", so the audit trail of sink '" + sink.name() + "' would miss those changes");
                }
                if (source.section() != null && MaskedColumns.looksUp(sink.config())) {
                    MaskedColumns.maskingKey(source.section().config()).ifPresent(key -> errors.add(source.file() + ":"
                            + source.section().lineOf(key) + ": " + MaskedColumns.problem(source.name(), key, sink.name())));
                }
                if (mirrorsState && source.section() != null) {
                    dropsDeletes(source.section()).ifPresent(key -> errors.add(source.file() + ":" + source.section().lineOf(key)
                            + ": connector '" + source.name() + "' key '" + key + "': drops DELETE events, so rows deleted at"
                            + " the source would stay in the index of sink '" + sink.name() + "'"));
                }
            }
            if (mirrorsState) {
                dropsDeletes(sink).ifPresent(key -> errors.add(file + ":" + sink.lineOf(key) + ": connector '" + sink.name()
                        + "' key '" + key + "': drops DELETE events, so rows deleted at the source would stay in the index"));
            }
        }
        return errors;
    }

    private static Optional<Source> source(PipelineFile.Section connector, String file) {
        String prefix = connector.config().get("topic.prefix");
        if (prefix == null || prefix.isBlank() || connector.config().containsKey("topics") || connector.config().containsKey("topics.regex")) {
            return Optional.empty();
        }
        List<Pattern> databases = new ArrayList<>();
        String include = connector.config().get("database.include.list");
        if (include != null) {
            for (String db : include.split(",")) {
                try {
                    databases.add(Pattern.compile(db.trim()));
                } catch (PatternSyntaxException e) {
                    databases.add(Pattern.compile(Pattern.quote(db.trim())));
                }
            }
        }
        return Optional.of(new Source(connector.name(), file, connector, prefix.trim(), databases));
    }

    /** The sources whose topics the sink reads; reports a subscription no source can satisfy. */
    private static List<Source> feeding(PipelineFile.Section sink, String file, List<Source> sources, List<String> errors) {
        List<Source> feeding = new ArrayList<>();
        String topics = sink.config().get("topics");
        String regex = sink.config().get("topics.regex");
        if (sources.isEmpty() || (topics == null && regex == null)) {
            return feeding;
        }
        if (topics != null && !topics.isBlank()) {
            for (String topic : topics.split(",")) {
                String t = topic.trim();
                List<Source> producing = sources.stream().filter(s -> s.produces(t)).toList();
                if (producing.isEmpty()) {
                    errors.add(file + ":" + sink.lineOf("topics") + ": connector '" + sink.name() + "' key 'topics': no source"
                            + " produces '" + t + "' (source topics: " + prefixes(sources) + ")");
                }
                producing.stream().filter(s -> !feeding.contains(s)).forEach(feeding::add);
            }
        } else if (regex != null && !regex.isBlank()) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(regex.trim());
            } catch (PatternSyntaxException e) {
                return feeding; // the worker's own validation reports it
            }
            sources.stream().filter(s -> s.couldProduce(pattern)).forEach(feeding::add);
            if (feeding.isEmpty()) {
                errors.add(file + ":" + sink.lineOf("topics.regex") + ": connector '" + sink.name() + "' key 'topics.regex': '"
                        + regex + "' matches no topic a source produces (source topics: " + prefixes(sources) + ")");
            }
        }
        return feeding;
    }

    private static String prefixes(List<Source> sources) {
        return sources.stream().map(s -> s.prefix() + ".<db>.<table> from '" + s.name() + "'").toList().toString();
    }

    /** The key of a Filter transform whose ChangeTypeIs predicate drops DELETE events, if the chain has one. */
    private static Optional<String> dropsDeletes(PipelineFile.Section connector) {
        Map<String, String> config = connector.config();
        for (String alias : list(config.get("transforms"))) {
            String prefix = "transforms." + alias + ".";
            if (!FILTER.equals(trim(config.get(prefix + "type")))) {
                continue;
            }
            String predicate = trim(config.get(prefix + "predicate"));
            if (predicate == null || !CHANGE_TYPE_IS.equals(trim(config.get("predicates." + predicate + ".type")))) {
                continue;
            }
            boolean negate = Boolean.parseBoolean(trim(config.getOrDefault(prefix + "negate", "false")));
            boolean matchesDelete = list(config.get("predicates." + predicate + ".types")).stream()
                    .anyMatch(t -> t.equalsIgnoreCase("DELETE"));
            // Filter drops what the predicate matches (or, negated, what it does not).
            if (matchesDelete != negate) {
                return Optional.of(prefix + "predicate");
            }
        }
        return Optional.empty();
    }

    private static String trim(String value) {
        return value == null ? null : value.trim();
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        if (value != null) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    items.add(item.trim());
                }
            }
        }
        return items;
    }
}
