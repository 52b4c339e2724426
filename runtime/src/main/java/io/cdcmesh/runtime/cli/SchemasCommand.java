package io.cdcmesh.runtime.cli;

import io.apicurio.registry.utils.converter.avro.AvroData;
import io.apicurio.registry.utils.converter.avro.AvroDataConfig;
import io.cdcmesh.runtime.embedded.PipelineException;
import io.cdcmesh.runtime.embedded.PipelineFile;
import io.cdcmesh.runtime.embedded.SourceTransforms;
import io.cdcmesh.runtime.schemas.ProducedSchemas;
import io.cdcmesh.runtime.schemas.SchemaCheck;
import io.cdcmesh.runtime.schemas.SourceSchemas;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdc-mesh schemas ...}: the Avro contracts of the normalized topics. */
@Command(name = "schemas", mixinStandardHelpOptions = true,
        description = "Checks the normalized-event schemas a pipeline produces against a schema registry.",
        subcommands = SchemasCommand.Check.class)
final class SchemasCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Derives, from the source database's current table definitions, the key and value schemas the"
                    + " pipeline's source would write now (Debezium's own schema builder, then the source's transforms,"
                    + " NormalizeChangeEvent included), converts them to Avro as the Avro converter does, and checks each"
                    + " against the latest version of its subject (<topic>-value; <topic>-key where the registry has it)"
                    + " under the subject's compatibility level. Every incompatible field is named. Run it before an"
                    + " ALTER TABLE reaches the pipeline, e.g. in CI against a staging database.",
                    "%nEach file is a pipeline file or a connector config, as for deploy; its Debezium MySQL or MariaDB"
                            + " source is checked. ${env:..}/${file:..} references are resolved here."},
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:every schema is compatible (or new)", "1:a schema is incompatible or not valid Avro",
                    "2:invalid files or no source in them", "3:the registry or the source database could not be reached"})
    static final class Check implements Callable<Integer> {
        @Option(names = "--registry", required = true, paramLabel = "URL",
                description = "the registry's Confluent-compatible API, e.g. http://registry:8080/apis/ccompat/v7")
        String registry;

        @Option(names = "--plugin-path", paramLabel = "DIRS", description = "folders holding the transforms (default: the runtime's plugin.path)")
        String pluginPath;

        @Parameters(arity = "1..*", paramLabel = "PATH", description = "pipeline files, connector configs, or folders of *.json")
        List<Path> paths;

        @Override
        public Integer call() {
            PrintStream out = System.out;
            PrintStream err = System.err;
            List<Source> sources = new ArrayList<>();
            try {
                for (Path file : DeployCommand.files(paths)) {
                    for (PipelineFile.Section section : PipelineFile.connectors(file)) {
                        if (SOURCES.contains(section.config().getOrDefault("connector.class", "").trim())) {
                            sources.add(new Source(file.toString(), section));
                        }
                    }
                }
            } catch (PipelineException e) {
                err.println(e.getMessage());
                return CdcMesh.INVALID;
            }
            if (sources.isEmpty()) {
                err.println("No Debezium MySqlConnector or MariaDbConnector source in " + paths);
                return CdcMesh.INVALID;
            }
            String plugins = pluginPath != null ? pluginPath : CdcMesh.defaultPluginPath();
            SchemaCheck check = new SchemaCheck(registry, new AvroData(new AvroDataConfig(Map.of())), out);
            int exit = 0;
            for (Source source : sources) {
                out.println("source '" + source.section.name() + "' (" + source.file + ") against " + registry);
                try (SourceTransforms transforms = SourceTransforms.open(source.file, source.section, plugins)) {
                    SourceSchemas schemas = new SourceSchemas(transforms.config());
                    List<String> dropped = new ArrayList<>();
                    List<ProducedSchemas.Produced> produced = ProducedSchemas.of(schemas.read(),
                            schemas.isMariaDb() ? "mariadb" : "mysql", transforms, dropped);
                    dropped.forEach(table -> out.println("  SKIPPED       " + table + ": the source's transforms drop every change to it"));
                    exit = Math.max(exit, check.check(produced));
                } catch (PipelineException e) {
                    err.println(e.getMessage());
                    return CdcMesh.INVALID;
                } catch (IllegalArgumentException e) {
                    err.println(source.file + ": source '" + source.section.name() + "': " + e.getMessage());
                    return CdcMesh.INVALID;
                } catch (SQLException e) {
                    err.println("The source database of '" + source.section.name() + "' could not be read: " + e.getMessage());
                    return DeployCommand.UNREACHABLE;
                } catch (SchemaCheck.Unreachable e) {
                    err.println(e.getMessage());
                    return DeployCommand.UNREACHABLE;
                }
            }
            out.println(exit == 0 ? "All schemas are compatible." : "Incompatible schemas: see above.");
            return exit;
        }

        private static final Set<String> SOURCES = Set.of("io.debezium.connector.mysql.MySqlConnector",
                "io.debezium.connector.mariadb.MariaDbConnector");

        private record Source(String file, PipelineFile.Section section) {}
    }
}
