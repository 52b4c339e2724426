package io.cdcmesh.sink.hive;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.testkit.ConfigDocs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
    @Test
    void configReferenceMatchesTheConfigDef() {
        new ConfigDocs("cdc-mesh Hive audit sink: configuration reference",
                "Every key of `io.cdcmesh.sink.hive.HiveAuditSinkConnector`, with its type, default and allowed values.")
                .section("HiveAuditSinkConnector", HiveAuditSinkConnector.class.getName(),
                        "Appends one audit row per cdc-mesh normalized change event into Hive, exactly once.",
                        HiveAuditSinkConfig.CONFIG_DEF)
                .checkOrUpdate(Path.of("CONFIG.md"));
    }

    @Test
    void theReadmeGivesTheQueriesTheTestsRun() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(readme).contains(Queries.history("audit.film_titles", "42"));
        assertThat(readme).contains(Queries.stateAsOf("audit.film_titles", "2026-07-01 00:00:00"));
    }

    @Test
    void validateReportsEachProblemOnItsKey() {
        Map<String, String> props = new HashMap<>();
        props.put("hive.jdbc.url", "jdbc:mysql://nowhere");
        props.put("table.location", "relative/path");
        props.put("partition.format", "yyyy/MM/dd");
        props.put("hive.session.settings", "hive.exec.parallel=true; DROP TABLE x");
        props.put("table.name.pattern", "${db}.${table}");
        Config result = new HiveAuditSinkConnector().validate(props);
        assertThat(errors(result, "hive.jdbc.url")).anyMatch(m -> m.contains("jdbc:hive2://"));
        assertThat(errors(result, "table.location")).anyMatch(m -> m.contains("absolute URI"));
        assertThat(errors(result, "partition.format")).anyMatch(m -> m.contains("directory name"));
        assertThat(errors(result, "hive.session.settings")).anyMatch(m -> m.contains("';'"));
        assertThat(errors(result, "table.name.pattern")).anyMatch(m -> m.contains("letters, digits and '_'"));
        assertThat(errors(result, "flush.size")).isEmpty();
    }

    @Test
    void crossFieldProblemsAreReportedOnTheKeyTheyConcern() {
        Map<String, String> props = new HashMap<>();
        props.put("hive.jdbc.url", "jdbc:hive2://127.0.0.1:1/default");
        props.put("table.location", "file:///tmp/audit");
        props.put("partition.field.name", "position");
        props.put("retry.backoff.ms", "5000");
        props.put("retry.backoff.max.ms", "1000");
        Config result = new HiveAuditSinkConnector().validate(props);
        assertThat(errors(result, "partition.field.name")).anyMatch(m -> m.contains("audit column"));
        assertThat(errors(result, "retry.backoff.ms")).anyMatch(m -> m.contains("retry.backoff.max.ms"));
    }

    @Test
    void anUnreachableHiveServerIsReportedOnTheUrl() {
        Map<String, String> props = new HashMap<>();
        props.put("hive.jdbc.url", "jdbc:hive2://127.0.0.1:1/default");
        props.put("table.location", "file:///tmp/audit");
        Config result = new HiveAuditSinkConnector().validate(props);
        assertThat(errors(result, "hive.jdbc.url")).anyMatch(m -> m.contains("Could not connect to HiveServer2"));
    }

    private static List<String> errors(Config config, String key) {
        return config.configValues().stream().filter(v -> v.name().equals(key)).findFirst().map(ConfigValue::errorMessages)
                .orElseThrow();
    }
}
