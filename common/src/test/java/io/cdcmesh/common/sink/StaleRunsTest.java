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
    void oneChangeFarBelowWhatTheSinkHoldsIsARegressionAtOnce() {
        long epoch1 = 1L << 56;
        long epoch2 = 2L << 56;
        runs.stale(epoch1 | 5, epoch2 | 7);
        assertThat(runs.regressions()).as("a lower epoch").isEqualTo(1);
        runs.stale(epoch1 | 4, epoch2 | 7);
        assertThat(runs.regressions()).as("the same run, counted once").isEqualTo(1);
        runs.written();
        runs.stale(epoch2 | 12, epoch2 | 5_000_000);
        assertThat(runs.regressions()).as("the count started again after a reset").isEqualTo(2);
    }

    @Test
    void aReplayAFewTransactionsBackOrPositionsOfOlderReleasesAreNotFarBelow() {
        long epoch1 = 1L << 56;
        assertThat(StaleRuns.farBelow(epoch1 | 999_000, epoch1 | 1_000_000)).isFalse();
        assertThat(StaleRuns.farBelow(epoch1 | 5, epoch1 | 5)).isFalse();
        assertThat(StaleRuns.farBelow(epoch1 | 5, epoch1 | 2_000_000)).isTrue();
        assertThat(StaleRuns.farBelow((3L << 32) | 100, epoch1 | 7)).as("the binlog fold of older releases").isFalse();
        assertThat(StaleRuns.farBelow(epoch1 | 7, (3L << 32) | 100)).as("above").isFalse();
        runs.stale(epoch1 | 999_000, epoch1 | 1_000_000);
        assertThat(runs.regressions()).isZero();
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
