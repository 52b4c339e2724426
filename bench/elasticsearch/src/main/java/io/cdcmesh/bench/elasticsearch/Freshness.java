package io.cdcmesh.bench.elasticsearch;

import io.cdcmesh.bench.kit.Delays;
import io.cdcmesh.bench.kit.Prober;
import io.cdcmesh.bench.kit.SteadyWriter;
import java.util.Map;

/** Freshness from MySQL commit to searchable document, per row, from the writer's commit times and the prober's counts. */
record Freshness(String format, double achievedRate, long rows, int rowsPerInsert, Delays searchable, Delays inTopic,
        Delays acknowledged, Map<String, Long> sinkHistogram, int warmupSeconds) {
    /** The target for commit -> acknowledged p99 through Kafka Connect. */
    static final long ACKNOWLEDGED_P99_TARGET_MS = 500;

    /**
     * @param prober counts of searchable documents
     * @param topicProber end offsets of the topic (events the source has written)
     * @param ackProber documents the sink task has had acknowledged by the node
     */
    static Freshness measure(String format, SteadyWriter writer, Prober prober, Prober topicProber, Prober ackProber,
            Map<String, Long> sinkHistogram, int warmupSeconds) {
        double seconds = (writer.committedAt(writer.ticks() - 1) - writer.started()) / 1e9;
        // +1: the probe row (id 0) is in the index and the topic too.
        return new Freshness(format, writer.rows() / seconds, writer.rows(), writer.rowsPerTick(), Delays.of(writer, prober, warmupSeconds, 1),
                Delays.of(writer, topicProber, warmupSeconds, 1), Delays.of(writer, ackProber, warmupSeconds, 1), sinkHistogram,
                warmupSeconds);
    }

    void print() {
        System.out.printf("freshness, %s: %,d rows inserted at %,.0f rows/s achieved (one INSERT of %d rows every 10 ms),"
                + " first %d s not counted%n", format, rows, achievedRate, rowsPerInsert, warmupSeconds);
        System.out.printf("  MySQL commit -> searchable (default 1 s refresh, 20 ms probe): %s%n", searchable);
        System.out.printf("  MySQL commit -> acknowledged by the node (20 ms JMX probe):   %s (target p99 <= %d ms)%n", acknowledged,
                ACKNOWLEDGED_P99_TARGET_MS);
        System.out.printf("  of which MySQL commit -> in the topic (the source's part):   %s%n", inTopic);
        System.out.printf("  sink's own histogram, source ts -> bulk acknowledged:          p50 %d ms, p99 %d ms, max %d ms%n",
                sinkHistogram.get("FreshnessP50Ms"), sinkHistogram.get("FreshnessP99Ms"), sinkHistogram.get("FreshnessMaxMs"));
    }
}
