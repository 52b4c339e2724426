package io.cdcmesh.common.sink;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StaleRunsTest {
    private long now = 1_000_000;
    private final StaleRuns runs = new StaleRuns(() -> now, "test", "the index");

    @Test
    void aMinuteOfNothingButStaleSkipsIsOneRegression() {
        for (int i = 0; i < 200; i++) {
            runs.stale();
            now += 500;
        }
        assertThat(runs.regressions()).as("100 s of stale skips, counted once").isEqualTo(1);
    }

    @Test
    void aReplayBurstOrStaleSkipsBetweenWritesAreNot() {
        for (int i = 0; i < 5_000; i++) {
            runs.stale();
        }
        now += 120_000;
        runs.written();
        for (int i = 0; i < 300; i++) {
            runs.stale();
            now += 500;
            if (i % 50 == 0) {
                runs.written();
            }
        }
        assertThat(runs.regressions()).isZero();
    }
}
