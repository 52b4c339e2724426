package io.cdcmesh.sink.elasticsearch.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Gathers items into bulk requests on the task thread: a batch is ready at batch.size items, before an item would
 * take it past bulk.size.bytes (a request of large rows must stay under the node's limit), or once it has waited
 * linger.ms.
 */
final class BulkBatcher {
    private final int batchSize;
    private final long bulkSizeBytes;
    private final long lingerMs;
    private final LongSupplier nanoClock;

    private List<BulkItem> batch = new ArrayList<>();
    private long batchBytes;
    private long startedNanos;

    BulkBatcher(int batchSize, long bulkSizeBytes, long lingerMs, LongSupplier nanoClock) {
        this.batchSize = batchSize;
        this.bulkSizeBytes = bulkSizeBytes;
        this.lingerMs = lingerMs;
        this.nanoClock = nanoClock;
    }

    /** Adds an item, handing {@code ready} each batch that is full with it (before it, if it would not fit). */
    void add(BulkItem item, Consumer<List<BulkItem>> ready) {
        long bytes = item.action().estimatedBytes();
        if (!batch.isEmpty() && batchBytes + bytes > bulkSizeBytes) {
            ready.accept(take());
        }
        if (batch.isEmpty()) {
            startedNanos = nanoClock.getAsLong();
        }
        batch.add(item);
        batchBytes += bytes;
        if (batch.size() >= batchSize || batchBytes >= bulkSizeBytes) {
            ready.accept(take());
        }
    }

    /** How long until the current batch is due: 0 if it is due now, -1 if there is none. */
    long msUntilDue() {
        if (batch.isEmpty()) {
            return -1;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(nanoClock.getAsLong() - startedNanos);
        return Math.max(0, lingerMs - waited);
    }

    /** The current batch (empty if none), and a new one started. */
    List<BulkItem> take() {
        List<BulkItem> taken = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        return taken;
    }
}
