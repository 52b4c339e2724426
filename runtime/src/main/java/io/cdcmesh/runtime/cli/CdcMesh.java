package io.cdcmesh.runtime.cli;

import io.cdcmesh.common.Versions;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The {@code cdc-mesh} command line. */
@Command(name = "cdc-mesh", mixinStandardHelpOptions = true, versionProvider = CdcMesh.VersionProvider.class,
        description = "Change data capture from MySQL and MariaDB into Elasticsearch, Hive and Kafka topics.",
        subcommands = {RunCommand.class, DemoCommand.class, DeployCommand.class, ConnectorCommands.Status.class,
                ConnectorCommands.Pause.class, ConnectorCommands.Resume.class, ConnectorCommands.Restart.class, SchemasCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done", "1:the pipeline or a connector failed", "2:bad command line, pipeline file or config (nothing"
                + " was started or applied)", "3:the Connect worker (or, for schemas check, the registry or database) could not be reached"})
public final class CdcMesh implements Runnable {
    public static final int FAILED = 1;
    public static final int INVALID = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return new CommandLine(new CdcMesh()); // invalid input exits with 2 (picocli USAGE)
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The plugins folder that ships next to cdc-mesh.jar, or the one the launcher names. */
    static String defaultPluginPath() {
        String configured = System.getProperty("cdcmesh.plugin.path");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path home = distributionDir();
        Path plugins = home == null ? null : home.resolve("plugins");
        return plugins != null && Files.isDirectory(plugins) ? plugins.toString() : null;
    }

    /** The folder cdc-mesh.jar is in (runtime/target in a build), or null when not run from a jar. */
    static Path distributionDir() {
        try {
            Path jar = Path.of(CdcMesh.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return Files.isRegularFile(jar) ? jar.getParent() : null;
        } catch (Exception e) {
            return null;
        }
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = CdcMesh.class.getPackage().getImplementationVersion();
            return new String[] {"cdc-mesh " + (version == null ? Versions.of(CdcMesh.class) : version)};
        }
    }
}
