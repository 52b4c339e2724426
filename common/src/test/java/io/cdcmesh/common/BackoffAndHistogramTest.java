package io.cdcmesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackoffAndHistogramTest {
    @Test
    void backoffDoublesWithJitterAndStopsAtTheCap() {
        Backoff backoff = new Backoff(100, 5_000);
        for (int i = 0; i < 200; i++) {
            assertThat(backoff.delayMs(0)).isBetween(50L, 100L);
            assertThat(backoff.delayMs(3)).isBetween(400L, 800L);
            assertThat(backoff.delayMs(10)).isBetween(2_500L, 5_000L);
            assertThat(backoff.delayMs(5_000)).isBetween(2_500L, 5_000L);
        }
    }

    @Test
    void histogramPercentilesAreWithinOneBucket() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (int ms = 1; ms <= 1_000; ms++) {
            histogram.record(ms);
        }
        assertThat(histogram.count()).isEqualTo(1_000);
        assertThat(histogram.max()).isEqualTo(1_000);
        assertThat(histogram.percentile(0.5)).isBetween(500L, 550L);
        assertThat(histogram.percentile(0.99)).isBetween(990L, 1_000L);
        assertThat(new LatencyHistogram().percentile(0.5)).isZero();
    }
}
