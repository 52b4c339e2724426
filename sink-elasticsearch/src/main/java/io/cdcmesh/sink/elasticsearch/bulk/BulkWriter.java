package io.cdcmesh.sink.elasticsearch.bulk;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.cdcmesh.common.Backoff;
import io.cdcmesh.common.sink.AckTracker;
import io.cdcmesh.sink.elasticsearch.index.IndexManager;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.connect.errors.ConnectException;

/**
 * Writes change actions to Elasticsearch: the task thread adds them to a batch ({@link BulkBatcher}); each batch is
 * sent on one of {@code maxInFlight} bulk threads ({@link BulkSender}, through {@link RestBulk} after
 * {@link IndexPreparation}), each write carrying the event's position as an external version. Elasticsearch itself
 * refuses a write older than what it holds, so bulk requests may finish in any order and a replayed or reordered
 * event can never overwrite a newer state or bring back a deleted document (within index.gc_deletes). Changes of one
 * document at the same version (one source transaction) are kept in order by {@link SameVersionOrder}.
 *
 * <p>Each item's acknowledgement is marked done only once it has an outcome ({@link ItemOutcomes}). A failure that
 * must stop the task is kept and rethrown on the task thread by {@link #rethrowFailure()}.
 */
public final class BulkWriter implements AutoCloseable {
    /** What happens to an action Elasticsearch refuses for a reason retrying cannot fix. */
    public interface MalformedHandler {
        void handle(ChangeAction action, String reason);
    }

    /** Replaces actions' documents before they are sent (delayed materialization); same size and order. */
    public interface Materializer {
        List<ChangeAction> materialize(List<ChangeAction> actions) throws SQLException;
    }

    /** Settings of the writer. */
    public record Settings(int batchSize, long bulkSizeBytes, long lingerMs, int maxInFlight, int maxRetries, Backoff backoff) {}

    private final BulkBatcher batcher;
    private final BulkSender sender;
    private final ExecutorService executor;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final SameVersionOrder order = new SameVersionOrder();
    private final ItemOutcomes outcomes;

    public BulkWriter(ElasticsearchClient client, IndexManager indices, AckTracker tracker, MalformedHandler malformed,
            Settings settings, BulkMetrics metrics, String threadName, Materializer materializer) {
        this.outcomes = new ItemOutcomes(tracker, malformed, metrics);
        RestBulk transport = new RestBulk(((RestClientTransport) client._transport()).restClient(),
                ((JacksonJsonpMapper) client._jsonpMapper()).objectMapper());
        this.sender = new BulkSender(transport, new IndexPreparation(indices, outcomes), materializer, outcomes, metrics,
                settings.maxRetries(), settings.backoff(), Thread::sleep);
        this.batcher = new BulkBatcher(settings.batchSize(), settings.bulkSizeBytes(), settings.lingerMs(), System::nanoTime);
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(settings.maxInFlight(), settings.maxInFlight(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, threadName + "-bulk-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Adds an action to the current batch (task thread), sending the batch when it is full. */
    public void add(ChangeAction action, AckTracker.Entry entry) {
        batcher.add(new BulkItem(action, entry), this::send);
    }

    /** Sends the current batch if it has waited linger.ms (task thread). */
    public void maybeDispatch() {
        if (batcher.msUntilDue() == 0) {
            dispatch();
        }
    }

    /**
     * How long until the current batch is due (task thread): 0 if it is due now, -1 if there is none. The task asks
     * Connect to call {@code put} again by then, or a batch filled less than batch.size would wait for the next
     * record or the next offset commit, however long after linger.ms that is.
     */
    public long msUntilDue() {
        return batcher.msUntilDue();
    }

    /** Sends the current batch now (task thread). */
    public void dispatch() {
        send(batcher.take());
    }

    private void send(List<BulkItem> taken) {
        List<BulkItem> batch = SameVersionOrder.collapse(taken, outcomes::superseded);
        if (batch.isEmpty()) {
            return;
        }
        inFlight.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> earlier = order.register(batch, done);
        // The executor takes batches in the order they were registered, so an earlier batch this one waits for
        // is already running on another thread: waiting here cannot hold it up.
        executor.execute(() -> {
            try {
                earlier.join();
                sender.send(batch);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                order.finished(batch, done);
                done.complete(null);
                inFlight.decrementAndGet();
            }
        });
    }

    /** Rethrows, on the task thread, the first failure a bulk thread kept. */
    public void rethrowFailure() {
        Throwable t = failure.get();
        if (t != null) {
            throw t instanceof ConnectException ce ? ce : new ConnectException("Writing to Elasticsearch failed: " + t, t);
        }
    }

    /** Bulk requests sent or queued and not finished. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Stops sending: waits up to {@code timeoutMs} for requests under way, then interrupts what is left. */
    @Override
    public void close() {
        close(0);
    }

    public void close(long timeoutMs) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeoutMs, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
