package io.cdcmesh.runtime.schemas;

import io.apicurio.registry.utils.converter.avro.AvroData;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.connect.errors.DataException;

/**
 * Checks the schemas a pipeline would produce against a registry's subjects ({@code <topic>-value} always,
 * {@code <topic>-key} where the registry has it), printing one line per subject and every incompatible field.
 */
public final class SchemaCheck {
    /** The registry could not be reached or answered with an error. */
    public static final class Unreachable extends Exception {
        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final RegistryClient registry;
    private final AvroData avroData;
    private final PrintStream out;

    public SchemaCheck(String registryUrl, AvroData avroData, PrintStream out) {
        this.registry = new RegistryClient(registryUrl);
        this.avroData = avroData;
        this.out = out;
    }

    /** 0 if every schema is compatible or new, 1 if any is incompatible or not valid Avro. */
    public int check(List<ProducedSchemas.Produced> produced) throws Unreachable {
        int exit = 0;
        try {
            for (ProducedSchemas.Produced p : produced) {
                exit = Math.max(exit, subject(p.topic() + "-value", p.value(), p.table(), true));
                if (p.key() != null) {
                    exit = Math.max(exit, subject(p.topic() + "-key", p.key(), p.table(), false));
                }
            }
        } catch (RegistryClient.RegistryException e) {
            throw new Unreachable(e.getMessage(), e);
        }
        return exit;
    }

    private int subject(String subject, org.apache.kafka.connect.data.Schema connect, String table, boolean always)
            throws RegistryClient.RegistryException {
        Schema candidate;
        try {
            candidate = avroData.fromConnectSchema(connect);
        } catch (SchemaParseException | DataException e) {
            line("INVALID", subject, "table " + table + " gives a schema that is not valid Avro: " + e.getMessage()
                    + " (column names must match [A-Za-z_][A-Za-z0-9_]*; Debezium's field.name.adjustment.mode=avro renames them)");
            return 1;
        }
        RegistryClient.Version latest = registry.latest(subject);
        if (latest == null) {
            if (always) {
                line("NEW", subject, "not in the registry yet; the first record registers it");
            }
            return 0;
        }
        Schema existing = new Schema.Parser().parse(latest.schema());
        if (existing.equals(candidate)) {
            line("OK", subject, "unchanged (version " + latest.version() + ")");
            return 0;
        }
        String level = registry.compatibility(subject);
        List<String> problems = new ArrayList<>();
        List<Integer> against = new ArrayList<>();
        if (level.endsWith("_TRANSITIVE")) {
            for (int version : registry.versions(subject)) {
                RegistryClient.Version v = registry.version(subject, Integer.toString(version));
                List<String> found = AvroCompatibility.problems(level, candidate, new Schema.Parser().parse(v.schema()));
                found.forEach(f -> problems.add(f + " version " + version));
                against.add(version);
            }
        } else if (!level.equals("NONE")) {
            AvroCompatibility.problems(level, candidate, existing).forEach(f -> problems.add(f + " version " + latest.version()));
            against.add(latest.version());
        }
        // The registry's verdict decides (it applies its own rules, whatever level its API reports); Avro's rules
        // under the reported level name the fields.
        RegistryClient.Verdict verdict = registry.check(subject, candidate.toString());
        if (verdict.compatible()) {
            line("OK", subject, "compatible with version" + (against.size() > 1 ? "s " + against : " " + latest.version())
                    + " under " + level + "; the next record registers a new version");
            return 0;
        }
        line("INCOMPATIBLE", subject, "under " + level + " with version " + latest.version() + " (table " + table + ")");
        for (String problem : problems) {
            out.println("                " + problem);
        }
        if (problems.isEmpty()) {
            out.println("                the registry refuses it: " + (verdict.messages().isEmpty() ? "no reason given" : String.join("; ", verdict.messages())));
        }
        return 1;
    }

    private void line(String status, String subject, String text) {
        out.printf("  %-13s %s: %s%n", status, subject, text);
    }
}
