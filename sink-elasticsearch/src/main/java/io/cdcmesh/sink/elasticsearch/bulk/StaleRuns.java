package io.cdcmesh.sink.elasticsearch.bulk;

import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices when, for a sustained time, Elasticsearch refuses everything it is sent as older than what it holds. A
 * replay after a restart gives a short burst of stale skips; a minute of nothing but stale skips means the source's
 * positions went back (a binlog reset or a restore without a new position.epoch, a failover without GTIDs), and
 * every later change would be dropped as stale. Each such run counts once ({@code PositionRegressions}) and is
 * logged with the cause and the fix.
 */
final class StaleRuns {
    static final long SUSTAINED_MS = 60_000;
    static final long MIN_STALE = 100;
    private static final Logger LOG = LoggerFactory.getLogger(StaleRuns.class);

    private final LongSupplier clockMs;
    private final String task;
    private long runStartMs = -1;
    private long runStale;
    private boolean reported;
    private long regressions;

    StaleRuns(LongSupplier clockMs, String task) {
        this.clockMs = clockMs;
        this.task = task;
    }

    synchronized void stale() {
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
            LOG.warn("{}: for {} s every change sent to Elasticsearch was older than what the index holds ({} refused as"
                    + " stale, none written). The source's positions went back: after RESET MASTER / RESET BINARY LOGS"
                    + " AND GTIDS, a restore or clone into a new server, or a failover without GTIDs, raise"
                    + " position.epoch of NormalizeChangeEvent by one and take a new snapshot (docs/positions.md)",
                    task, (now - runStartMs) / 1000, runStale);
        }
    }

    synchronized void written() {
        runStartMs = -1;
    }

    synchronized long regressions() {
        return regressions;
    }
}
