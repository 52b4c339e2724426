package io.cdcmesh.bench.elasticsearch;

import io.cdcmesh.bench.kit.Prober;
import io.cdcmesh.bench.kit.SteadyWriter;
import java.util.Arrays;
import java.util.Map;

/** Freshness from MySQL commit to searchable document, per row, from the writer's commit times and the prober's counts. */
record Freshness(String format, double achievedRate, long rows, int rowsPerInsert, long[] sortedMillis, long[] sortedTopicMillis,
        Map<String, Long> sinkHistogram, int warmupSeconds) {

    /**
     * @param prober counts of searchable documents
     * @param topicProber end offsets of the topic (events the source has written)
     */
    static Freshness measure(String format, SteadyWriter writer, Prober prober, Prober topicProber, Map<String, Long> sinkHistogram, int warmupSeconds) {
        double seconds = (writer.committedAt(writer.ticks() - 1) - writer.started()) / 1e9;
        return new Freshness(format, writer.rows() / seconds, writer.rows(), writer.rowsPerTick(), delays(writer, prober, warmupSeconds),
                delays(writer, topicProber, warmupSeconds), sinkHistogram, warmupSeconds);
    }

    /** Per insert after the warm-up, the time from its commit to the first probe counting its last row; sorted. */
    private static long[] delays(SteadyWriter writer, Prober prober, int warmupSeconds) {
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
        return millis;
    }

    static long percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    void print() {
        System.out.printf("freshness, %s: %,d rows inserted at %,.0f rows/s achieved (one INSERT of %d rows every 10 ms),"
                + " first %d s not counted%n", format, rows, achievedRate, rowsPerInsert, warmupSeconds);
        System.out.printf("  MySQL commit -> searchable (default 1 s refresh, 20 ms probe): p50 %d ms, p99 %d ms, max %d ms%n",
                percentile(sortedMillis, 0.50), percentile(sortedMillis, 0.99), sortedMillis[sortedMillis.length - 1]);
        System.out.printf("  of which MySQL commit -> in the topic (the source's part):   p50 %d ms, p99 %d ms, max %d ms%n",
                percentile(sortedTopicMillis, 0.50), percentile(sortedTopicMillis, 0.99), sortedTopicMillis[sortedTopicMillis.length - 1]);
        System.out.printf("  sink's own histogram, source ts -> bulk acknowledged:          p50 %d ms, p99 %d ms, max %d ms%n",
                sinkHistogram.get("FreshnessP50Ms"), sinkHistogram.get("FreshnessP99Ms"), sinkHistogram.get("FreshnessMaxMs"));
    }
}
