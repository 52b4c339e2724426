package io.cdcmesh.common.sink;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when, for a sustained time, a sink refuses everything it is given as older than what it holds (an
 * Elasticsearch version conflict, an audit event at or below the table's watermark). A replay after a restart gives a
 * short burst of such skips; a minute of nothing but skips means the source's positions went back (a binlog reset or
 * a restore without a new position.epoch, a failover without GTIDs), and every later change would be dropped. Each
 * such run counts once ({@code PositionRegressions}) and is logged with the cause and the fix.
 */
public final class StaleRuns {
    public static final long SUSTAINED_MS = 60_000;
    public static final long MIN_STALE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(StaleRuns.class);

    private final LongSupplier clockMs;
    private final String task;
    private final String holder;
    private long runStartMs = -1;
    private long runStale;
    private boolean reported;
    private long regressions;

    /**
     * @param task the task, for the warning
     * @param holder what holds the newer data, for the warning: "the index", "the audit tables"
     */
    public StaleRuns(LongSupplier clockMs, String task, String holder) {
        this.clockMs = clockMs;
        this.task = task;
        this.holder = holder;
    }

    /** A change was dropped as older than what the sink holds. */
    public synchronized void stale() {
        long now = clockMs.getAsLong();
        if (runStartMs < 0) {
            runStartMs = now;
            runStale = 0;
            reported = false;
        }
        runStale++;
        if (!reported && runStale >= MIN_STALE && now - runStartMs >= SUSTAINED_MS) {
            reported = true;
            regressions++;
            LOG.warn("{}: for {} s every change was older than what {} holds ({} dropped as stale, none written). The"
                    + " source's positions went back: after RESET MASTER / RESET BINARY LOGS AND GTIDS, a restore or"
                    + " clone into a new server, or a failover without GTIDs, raise position.epoch of"
                    + " NormalizeChangeEvent by one and take a new snapshot (docs/positions.md)",
                    task, (now - runStartMs) / 1000, holder, runStale);
        }
    }

    /** A change was written: whatever run of stale ones there was has ended. */
    public synchronized void written() {
        runStartMs = -1;
    }

    /** How many sustained runs of nothing but stale changes there were. */
    public synchronized long regressions() {
        return regressions;
    }
}
