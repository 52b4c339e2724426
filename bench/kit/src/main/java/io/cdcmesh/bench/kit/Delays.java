package io.cdcmesh.bench.kit;

import java.util.Arrays;

/** Per-row delays from a {@link SteadyWriter}'s commits to the first probe that counted them, sorted, with percentiles. */
public final class Delays {
    private final long[] sortedMillis;

    private Delays(long[] sortedMillis) {
        this.sortedMillis = sortedMillis;
    }

    /**
     * Per insert after the warm-up, the time from its commit to the first probe counting its last row.
     *
     * @param counted how many rows the prober's count holds besides the writer's (e.g. 1 for a probe row)
     */
    public static Delays of(SteadyWriter writer, Prober prober, int warmupSeconds, long counted) {
        int skip = Math.min(warmupSeconds * 100, writer.ticks() - 1);
        long[] millis = new long[writer.ticks() - skip];
        int probe = 0;
        for (int tick = skip; tick < writer.ticks(); tick++) {
            probe = prober.firstProbeCounting(writer.lastId(tick) + counted, probe);
            if (probe < 0) {
                throw new IllegalStateException("row " + writer.lastId(tick) + " was never counted by the prober");
            }
            millis[tick - skip] = Math.max(0, (prober.time(probe) - writer.committedAt(tick)) / 1_000_000);
        }
        Arrays.sort(millis);
        return new Delays(millis);
    }

    public long percentile(double p) {
        return sortedMillis[Math.min(sortedMillis.length - 1, (int) Math.ceil(p * sortedMillis.length) - 1)];
    }

    public long max() {
        return sortedMillis[sortedMillis.length - 1];
    }

    /** "p50 12 ms, p99 40 ms, max 61 ms" */
    @Override
    public String toString() {
        return String.format("p50 %d ms, p99 %d ms, max %d ms", percentile(0.50), percentile(0.99), max());
    }
}
