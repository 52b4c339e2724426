package io.cdcmesh.connectors.cli;

import io.cdcmesh.connectors.embedded.EmbeddedPipeline;
import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** A one-line progress display on the terminal, refreshed every second; silent when not attached to one. */
final class Progress {
    private final EmbeddedPipeline pipeline;
    private final PrintStream out;
    private ScheduledExecutorService timer;
    private long lastCaptured;
    private long lastAt;

    Progress(EmbeddedPipeline pipeline, PrintStream out) {
        this.pipeline = pipeline;
        this.out = out;
    }

    void start() {
        if (out == null) {
            return;
        }
        lastAt = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-mesh-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
    }

    private void print() {
        long now = System.nanoTime();
        long captured = pipeline.captured();
        double rate = (captured - lastCaptured) * 1e9 / Math.max(1, now - lastAt);
        lastCaptured = captured;
        lastAt = now;
        StringBuilder line = new StringBuilder(String.format("\rsource: %,d events (%,.0f/s), %,d committed", captured, rate,
                pipeline.committed()));
        pipeline.sinks().forEach(sink -> line.append(String.format(" | %s: %,d durable, %,d queued", sink.name(),
                sink.acknowledged(), sink.queued())));
        out.print(line);
        out.flush();
    }

    void stop() {
        if (timer != null) {
            timer.shutdownNow();
            out.println();
        }
    }
}
