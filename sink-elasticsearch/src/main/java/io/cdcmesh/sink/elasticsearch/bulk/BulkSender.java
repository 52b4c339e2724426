package io.cdcmesh.sink.elasticsearch.bulk;

import io.cdcmesh.common.Backoff;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.errors.ConnectException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one batch until each item has an outcome: written, refused as stale (409, counted, not an error), retried
 * (429, 5xx, and what {@link Failures} calls transient, with capped backoff and jitter), or refused for good (any
 * other 4xx, a document that can't be rendered: to the malformed handler). A failure that retrying cannot fix, or
 * max.retries spent, throws a {@link ConnectException} naming the cause.
 */
final class BulkSender {
    private static final Logger LOG = LoggerFactory.getLogger(BulkSender.class);

    /** One bulk request: each item's outcome. */
    interface Transport {
        BulkBody.Results bulk(List<ChangeAction> actions) throws IOException;
    }

    /** What must happen before items are sent (indices and mappings); returns the items still to send. */
    interface Preparation {
        List<BulkItem> prepare(List<BulkItem> items) throws IOException;
    }

    /** Waits out a backoff. */
    interface Sleeper {
        void sleep(long ms) throws InterruptedException;
    }

    private final Transport transport;
    private final Preparation preparation;
    private final BulkWriter.Materializer materializer;
    private final ItemOutcomes outcomes;
    private final BulkMetrics metrics;
    private final int maxRetries;
    private final Backoff backoff;
    private final Sleeper sleeper;

    BulkSender(Transport transport, Preparation preparation, BulkWriter.Materializer materializer, ItemOutcomes outcomes,
            BulkMetrics metrics, int maxRetries, Backoff backoff, Sleeper sleeper) {
        this.transport = transport;
        this.preparation = preparation;
        this.materializer = materializer;
        this.outcomes = outcomes;
        this.metrics = metrics;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
        this.sleeper = sleeper;
    }

    void send(List<BulkItem> items) throws InterruptedException {
        List<BulkItem> remaining = items;
        int attempt = 0;
        while (!remaining.isEmpty()) {
            String retryReason;
            try {
                remaining = preparation.prepare(materialize(remaining));
                if (remaining.isEmpty()) {
                    return;
                }
                long started = System.nanoTime();
                BulkBody.Results results;
                try {
                    results = transport.bulk(remaining.stream().map(BulkItem::action).toList());
                } catch (BulkBody.UnwritableAction e) {
                    remaining = refuse(remaining, e);
                    continue;
                }
                metrics.recordBulkLatency(System.nanoTime() - started);
                List<BulkItem> retry = new ArrayList<>();
                for (int i = 0; i < remaining.size(); i++) {
                    if (results.allSucceeded()) {
                        outcomes.written(remaining.get(i));
                    } else if (!outcome(remaining.get(i), results.statuses()[i], results.errors()[i], results.currentVersion(i))) {
                        retry.add(remaining.get(i));
                    }
                }
                if (retry.isEmpty()) {
                    return;
                }
                remaining = retry;
                retryReason = retry.size() + " items refused for now (429 or 5xx)";
            } catch (Exception e) {
                Failures.Verdict verdict = Failures.classify(e);
                if (!verdict.retry()) {
                    throw new ConnectException("Stopping: " + verdict.reason() + " (" + remaining.size()
                            + " actions not written)", e);
                }
                retryReason = verdict.reason();
            }
            if (maxRetries >= 0 && attempt >= maxRetries) {
                throw new ConnectException("Gave up on " + remaining.size() + " actions after " + attempt
                        + " retries (max.retries): " + retryReason);
            }
            long delay = backoff.delayMs(attempt++);
            metrics.recordRetry();
            LOG.warn("Retrying {} actions in {} ms (attempt {}): {}", remaining.size(), delay, attempt, retryReason);
            sleeper.sleep(delay);
        }
    }

    /** Hands an item whose document cannot be written to the malformed handler; the others go on. */
    private List<BulkItem> refuse(List<BulkItem> items, BulkBody.UnwritableAction unwritable) {
        outcomes.refused(items.get(unwritable.index), unwritable.reason().getMessage());
        List<BulkItem> rest = new ArrayList<>(items);
        rest.remove(unwritable.index);
        return rest;
    }

    /** Handles one item's result; false if it must be retried. */
    private boolean outcome(BulkItem item, int status, String error, long currentVersion) {
        if (error == null && status >= 200 && status < 300) {
            outcomes.written(item);
        } else if (status == 404 && item.action().kind() == ChangeAction.Kind.DELETE) {
            // The document is already gone; Elasticsearch still records the delete's version, so a stale
            // write of that document is refused after it as after any delete.
            outcomes.written(item);
        } else if (status == 409) {
            outcomes.stale(item, currentVersion);
        } else if (retriable(status)) {
            return false;
        } else {
            outcomes.refused(item, error != null ? error : "status " + status);
        }
        return true;
    }

    private List<BulkItem> materialize(List<BulkItem> items) throws SQLException {
        if (materializer == null) {
            return items;
        }
        List<ChangeAction> read = materializer.materialize(items.stream().map(BulkItem::action).toList());
        List<BulkItem> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new BulkItem(read.get(i), items.get(i).entry()));
        }
        return out;
    }

    static boolean retriable(int status) {
        return status == 429 || status >= 500;
    }
}
