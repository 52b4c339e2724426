package io.cdcmesh.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cdc-mesh status|pause|resume|restart --connect <url> [names]}: Connect's lifecycle calls by name. */
final class ConnectorCommands {
    private ConnectorCommands() {}

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--connect", required = true, paramLabel = "URL", description = "the Connect worker's REST URL")
        String connect;

        @Parameters(arity = "0..*", paramLabel = "NAME", description = "connector names (default: all on the worker)")
        List<String> names = new ArrayList<>();

        List<String> names(ConnectClient client) throws Exception {
            if (!names.isEmpty()) {
                return names;
            }
            List<String> all = new ArrayList<>();
            client.connectors().forEach(n -> all.add(n.asText()));
            all.sort(String::compareTo);
            return all;
        }

        @Override
        public Integer call() throws Exception {
            ConnectClient client = new ConnectClient(connect);
            try {
                return run(client);
            } catch (ConnectClient.UnreachableException e) {
                System.err.println("cdc-mesh: " + e.getMessage());
                return DeployCommand.UNREACHABLE;
            } catch (ConnectClient.ApiException e) {
                System.err.println("cdc-mesh: " + e.getMessage());
                return CdcMesh.FAILED;
            }
        }

        abstract int run(ConnectClient client) throws Exception;
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "Shows each connector's and task's state, with the trace of a failed one.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:all RUNNING", "1:one is not RUNNING (or does not exist)", "3:the worker could not be reached"})
    static final class Status extends Base {
        @Override
        int run(ConnectClient client) throws Exception {
            int exit = 0;
            for (String name : names(client)) {
                JsonNode status = client.status(name);
                System.out.printf("%-30s %s%n", name, RunningWait.describe(status));
                String failure = RunningWait.failure(status);
                if (failure != null) {
                    System.out.println(indent(failure));
                }
                if (!RunningWait.running(status)) {
                    exit = CdcMesh.FAILED;
                }
            }
            return exit;
        }

        private static String indent(String text) {
            return "    " + text.strip().replace("\n", "\n    ");
        }
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses connectors and their tasks.")
    static final class Pause extends Base {
        @Override
        int run(ConnectClient client) throws Exception {
            for (String name : names(client)) {
                client.pause(name);
                System.out.println("paused     " + name);
            }
            return 0;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resumes paused connectors and their tasks.")
    static final class Resume extends Base {
        @Override
        int run(ConnectClient client) throws Exception {
            for (String name : names(client)) {
                client.resume(name);
                System.out.println("resumed    " + name);
            }
            return 0;
        }
    }

    @Command(name = "restart", mixinStandardHelpOptions = true,
            description = "Restarts connectors and their tasks (only the failed ones with --failed), then waits for RUNNING.")
    static final class Restart extends Base {
        @Option(names = "--failed", description = "restart only failed instances")
        boolean onlyFailed;

        @Option(names = "--timeout", defaultValue = "180", paramLabel = "SECONDS", description = "how long to wait for RUNNING")
        long timeoutSeconds;

        @Override
        int run(ConnectClient client) throws Exception {
            List<String> targets = names(client);
            for (String name : targets) {
                client.restart(name, onlyFailed);
                System.out.println("restarted  " + name);
            }
            return new RunningWait(client, System.out, System.err, timeoutSeconds).await(targets);
        }
    }
}
