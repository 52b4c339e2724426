package io.cdcmesh.runtime.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;

/** Waits until named connectors and all their tasks are RUNNING; a FAILED one is reported with its trace at once. */
final class RunningWait {
    private final ConnectClient client;
    private final PrintStream out;
    private final PrintStream err;
    private final long timeoutSeconds;

    RunningWait(ConnectClient client, PrintStream out, PrintStream err, long timeoutSeconds) {
        this.client = client;
        this.out = out;
        this.err = err;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** 0 when all run, 1 when one failed or the time ran out. */
    int await(List<String> names) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        for (String name : names) {
            while (true) {
                JsonNode status = client.status(name);
                String failure = failure(status);
                if (failure != null) {
                    err.println("FAILED     " + name + ": " + failure);
                    return CdcMesh.FAILED;
                }
                if (running(status)) {
                    out.println("RUNNING    " + name + " (" + status.path("tasks").size() + " task"
                            + (status.path("tasks").size() == 1 ? "" : "s") + ")");
                    break;
                }
                if (System.nanoTime() > deadline) {
                    err.println("TIMEOUT    " + name + " is not RUNNING after " + timeoutSeconds + " s: " + describe(status));
                    return CdcMesh.FAILED;
                }
                Thread.sleep(500); // polling the worker's REST API, bounded by the deadline above
            }
        }
        return 0;
    }

    static boolean running(JsonNode status) {
        if (status == null || !"RUNNING".equals(status.path("connector").path("state").asText())) {
            return false;
        }
        JsonNode tasks = status.path("tasks");
        if (tasks.isEmpty()) {
            return false;
        }
        for (JsonNode task : tasks) {
            if (!"RUNNING".equals(task.path("state").asText())) {
                return false;
            }
        }
        return true;
    }

    /** The trace of the connector's or a task's failure, or null. */
    static String failure(JsonNode status) {
        if (status == null) {
            return null;
        }
        if ("FAILED".equals(status.path("connector").path("state").asText())) {
            return "connector FAILED\n" + status.path("connector").path("trace").asText();
        }
        for (JsonNode task : status.path("tasks")) {
            if ("FAILED".equals(task.path("state").asText())) {
                return "task " + task.path("id").asText() + " FAILED on " + task.path("worker_id").asText() + "\n"
                        + task.path("trace").asText();
            }
        }
        return null;
    }

    static String describe(JsonNode status) {
        if (status == null) {
            return "no such connector";
        }
        StringBuilder text = new StringBuilder("connector " + status.path("connector").path("state").asText());
        for (JsonNode task : status.path("tasks")) {
            text.append(", task ").append(task.path("id").asText()).append(' ').append(task.path("state").asText());
        }
        return text.toString();
    }
}
