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
 *
 * <p>Where the sink knows the newest position it holds, one change far below it is enough, at once: a position of a
 * lower epoch, or more than {@value #FAR_RANKS} transactions back within one epoch (no replay goes back that far;
 * a binlog reset starts the count again near 0). Positions of older releases (epoch 0, the binlog fold) are left to
 * the sustained rule.
 */
public final class StaleRuns {
    public static final long SUSTAINED_MS = 60_000;
    public static final long MIN_STALE = 100;
    public static final long FAR_RANKS = 1_000_000;
    private static final int EPOCH_SHIFT = 56;
    private static final String FIX = "The source's positions went back: after RESET MASTER / RESET BINARY LOGS AND GTIDS,"
            + " a restore or clone into a new server, or a failover without GTIDs, raise position.epoch of"
            + " NormalizeChangeEvent by one and take a new snapshot (docs/positions.md)";
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
            LOG.warn("{}: for {} s every change was older than what {} holds ({} dropped as stale, none written). " + FIX,
                    task, (now - runStartMs) / 1000, holder, runStale);
        }
    }

    /** A change at {@code position} was dropped as older than what the sink holds, whose newest is {@code latest}. */
    public synchronized void stale(long position, long latest) {
        stale();
        if (!reported && farBelow(position, latest)) {
            reported = true;
            regressions++;
            LOG.warn("{}: a change at position {} (epoch {}) arrived where {} already holds position {} (epoch {}). " + FIX,
                    task, position, position >>> EPOCH_SHIFT, holder, latest, latest >>> EPOCH_SHIFT);
        }
    }

    /** True if {@code position} is below {@code latest} by more than any replay goes back. */
    static boolean farBelow(long position, long latest) {
        long epoch = position >>> EPOCH_SHIFT;
        long latestEpoch = latest >>> EPOCH_SHIFT;
        if (position >= latest || epoch == 0) {
            return false;
        }
        return epoch < latestEpoch || latest - position > FAR_RANKS;
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
