package io.cdcmesh.sink.elasticsearch.bulk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Keeps the changes of one document that share a version in the order they came. Every change of one source
 * transaction carries the transaction's position, and writes use {@code version_type=external_gte}, so Elasticsearch
 * itself only orders changes of different transactions; inside one, the later change must simply come last.
 *
 * <p>Within a batch, an earlier change of a document superseded by a later one at the same version is not sent (its
 * effect is the later one's), so a retried item can never land after its successor. Across batches, a batch holding a
 * document that an earlier batch still has in flight at the same version waits for that batch to finish. Both sets
 * are bounded by what is in flight.
 */
final class SameVersionOrder {
    private record Pending(long version, CompletableFuture<Void> done) {}

    private final Map<String, Pending> inFlight = new HashMap<>();

    /** The batch without its superseded items, each of which is handed to {@code superseded}. */
    static List<BulkItem> collapse(List<BulkItem> batch, Consumer<BulkItem> superseded) {
        Map<String, Integer> last = new HashMap<>();
        boolean any = false;
        for (int i = 0; i < batch.size(); i++) {
            Integer earlier = last.put(key(batch.get(i)), i);
            any |= earlier != null && batch.get(earlier).action().version() == batch.get(i).action().version();
        }
        if (!any) {
            return batch;
        }
        List<BulkItem> kept = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            BulkItem item = batch.get(i);
            int latest = last.get(key(item));
            if (latest != i && batch.get(latest).action().version() == item.action().version()) {
                superseded.accept(item);
            } else {
                kept.add(item);
            }
        }
        return kept;
    }

    /**
     * Registers a batch about to be sent, finishing with {@code done}; returns what it must wait for first: every
     * earlier batch still in flight with one of its documents at the same version.
     */
    synchronized CompletableFuture<Void> register(List<BulkItem> batch, CompletableFuture<Void> done) {
        Map<CompletableFuture<Void>, Boolean> waits = new LinkedHashMap<>();
        for (BulkItem item : batch) {
            String key = key(item);
            Pending earlier = inFlight.put(key, new Pending(item.action().version(), done));
            if (earlier != null && earlier.done() != done && earlier.version() == item.action().version()
                    && !earlier.done().isDone()) {
                waits.put(earlier.done(), Boolean.TRUE);
            }
        }
        return CompletableFuture.allOf(waits.keySet().toArray(CompletableFuture[]::new));
    }

    /** Forgets a finished batch's documents (those no later batch has taken over). */
    synchronized void finished(List<BulkItem> batch, CompletableFuture<Void> done) {
        for (BulkItem item : batch) {
            String key = key(item);
            Pending pending = inFlight.get(key);
            if (pending != null && pending.done() == done) {
                inFlight.remove(key);
            }
        }
    }

    synchronized int documentsInFlight() {
        return inFlight.size();
    }

    private static String key(BulkItem item) {
        return item.action().index() + '\u0000' + item.action().id();
    }
}
