package io.cdcmesh.sink.elasticsearch.bulk;

import io.cdcmesh.common.sink.AckTracker;

/**
 * The end of an item's way, whichever it is: written (or already gone, for a delete), refused as stale, or
 * refused for good and handed to the malformed handler. Each counts in the metrics and marks the item done.
 */
final class ItemOutcomes {
    private final AckTracker tracker;
    private final BulkWriter.MalformedHandler malformed;
    private final BulkMetrics metrics;

    ItemOutcomes(AckTracker tracker, BulkWriter.MalformedHandler malformed, BulkMetrics metrics) {
        this.tracker = tracker;
        this.malformed = malformed;
        this.metrics = metrics;
    }

    void written(BulkItem item) {
        metrics.recordWritten(item.action());
        tracker.done(item.entry());
    }

    /** A change a later change of its document in the same transaction replaced before either was sent. */
    void superseded(BulkItem item) {
        metrics.recordWritten(item.action());
        tracker.done(item.entry());
    }

    /** Refused as older than the document's version in the index, {@code currentVersion} (-1 if not known). */
    void stale(BulkItem item, long currentVersion) {
        metrics.recordStale(item.action().version(), currentVersion);
        tracker.done(item.entry());
    }

    void refused(BulkItem item, String reason) {
        malformed.handle(item.action(), reason);
        metrics.recordMalformed();
        tracker.done(item.entry());
    }
}
