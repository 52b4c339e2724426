package io.cdcmesh.bench.elasticsearch;

import java.util.Arrays;
import java.util.Map;

/** Freshness from MySQL commit to searchable document, per row, from the writer's commit times and the prober's counts. */
record Freshness(double achievedRate, long rows, int rowsPerInsert, long[] sortedMillis, Map<String, Long> sinkHistogram, int warmupSeconds) {

    static Freshness measure(SteadyWriter writer, Prober prober, Map<String, Long> sinkHistogram, int warmupSeconds) {
        int skip = Math.min(warmupSeconds * 100, writer.ticks() - 1);
        long[] millis = new long[writer.ticks() - skip];
        int probe = 0;
        for (int tick = skip; tick < writer.ticks(); tick++) {
            // +1: the probe row (id 0) is in the index too.
            probe = prober.firstProbeCounting(writer.lastId(tick) + 1, probe);
            if (probe < 0) {
                throw new IllegalStateException("row " + writer.lastId(tick) + " was never counted by the prober");
            }
            millis[tick - skip] = Math.max(0, (prober.time(probe) - writer.committedAt(tick)) / 1_000_000);
        }
        Arrays.sort(millis);
        double seconds = (writer.committedAt(writer.ticks() - 1) - writer.started()) / 1e9;
        return new Freshness(writer.rows() / seconds, writer.rows(), writer.rowsPerTick(), millis, sinkHistogram, warmupSeconds);
    }

    long percentile(double p) {
        return sortedMillis[Math.min(sortedMillis.length - 1, (int) Math.ceil(p * sortedMillis.length) - 1)];
    }

    void print() {
        System.out.printf("freshness: %,d rows inserted at %,.0f rows/s achieved (one INSERT of %d rows every 10 ms),"
                + " first %d s not counted%n", rows, achievedRate, rowsPerInsert, warmupSeconds);
        System.out.printf("  MySQL commit -> searchable (default 1 s refresh, 20 ms probe): p50 %d ms, p99 %d ms, max %d ms%n",
                percentile(0.50), percentile(0.99), sortedMillis[sortedMillis.length - 1]);
        System.out.printf("  sink's own histogram, source ts -> bulk acknowledged:          p50 %d ms, p99 %d ms, max %d ms%n",
                sinkHistogram.get("FreshnessP50Ms"), sinkHistogram.get("FreshnessP99Ms"), sinkHistogram.get("FreshnessMaxMs"));
    }
}
