package io.cdcmesh.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server process the test kit started. It is stopped by its own handle: gently first, then forcibly,
 * and by a JVM shutdown hook should the test run end without stopping it.
 */
public final class ManagedProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ManagedProcess.class);

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread shutdownHook;

    private ManagedProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.shutdownHook = new Thread(this::destroy, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static ManagedProcess start(String name, List<String> command, Path workDir, Path log, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        try {
            Process process = builder.start();
            LOG.debug("started {} (pid {}), output in {}", name, process.pid(), log);
            return new ManagedProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command.get(0), e);
        }
    }

    /** Runs a command to completion (an install or init step) and fails with its output if it fails. */
    public static void run(String name, List<String> command, Path workDir, Path log, Map<String, String> env, long timeoutSeconds) {
        ManagedProcess step = start(name, command, workDir, log, env);
        try {
            if (!step.process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                step.destroy();
                throw new IllegalStateException(name + " did not finish in " + timeoutSeconds + " s; see " + log);
            }
            if (step.process.exitValue() != 0) {
                throw new IllegalStateException(name + " failed with exit code " + step.process.exitValue() + "; see " + log
                        + "\n" + TextFiles.tail(log, 40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            step.destroy();
            throw new IllegalStateException("interrupted running " + name, e);
        } finally {
            step.removeHook();
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** Kills the process at once, as a crash would (SIGKILL). */
    public void kill() {
        process.destroyForcibly();
        waitQuietly(30);
    }

    @Override
    public void close() {
        destroy();
        removeHook();
    }

    private void destroy() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!waitQuietly(30)) {
            LOG.warn("{} (pid {}) did not stop in 30 s; killing it", name, process.pid());
            process.destroyForcibly();
            waitQuietly(30);
        }
    }

    private boolean waitQuietly(long seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or has run
        }
    }
}
