package io.cdcmesh.sink.elasticsearch.bulk;

import io.cdcmesh.common.sink.AckTracker;
import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.common.Backoff;
import io.cdcmesh.sink.elasticsearch.index.IndexManager;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends change actions to Elasticsearch in bulk requests, up to {@code maxInFlight} at once, each write carrying
 * the event's position as an external version: Elasticsearch itself refuses a write older than what it holds,
 * so bulk requests may finish in any order and a replayed or reordered event can never overwrite a newer state
 * or bring back a deleted document (within index.gc_deletes).
 *
 * <p>Per item: written, or refused as stale (409, counted, not an error), or retried (429, 5xx, connection
 * errors and timeouts, with capped backoff and jitter), or malformed (any other 4xx: handed to the
 * {@link MalformedHandler}). Each item's offset entry is marked done only once one of those has happened. A
 * failure that must stop the task is kept and rethrown on the task thread by {@link #rethrowFailure()}.
 */
public final class BulkWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BulkWriter.class);

    /** What happens to an action Elasticsearch refuses for a reason retrying cannot fix. */
    public interface MalformedHandler {
        void handle(ChangeAction action, String reason);
    }

    /** Replaces actions' documents before they are sent (delayed materialization); same size and order. */
    public interface Materializer {
        List<ChangeAction> materialize(List<ChangeAction> actions) throws java.sql.SQLException;
    }

    /** Settings of the writer. */
    public record Settings(int batchSize, long bulkSizeBytes, long lingerMs, int maxInFlight, int maxRetries, Backoff backoff) {}

    private record Pending(ChangeAction action, AckTracker.Entry entry) {}

    private final RestClient rest;
    private final ObjectMapper mapper;
    private final IndexManager indices;
    private final AckTracker tracker;
    private final MalformedHandler malformed;
    private final Settings settings;
    private final ExecutorService executor;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final BulkMetrics metrics;
    private final Materializer materializer;

    private List<Pending> batch = new ArrayList<>();
    private long batchBytes;
    private long batchStartedNanos;

    public BulkWriter(ElasticsearchClient client, IndexManager indices, AckTracker tracker, MalformedHandler malformed,
            Settings settings, BulkMetrics metrics, String threadName, Materializer materializer) {
        this.materializer = materializer;
        // Bulk requests go through the low-level client (the typed client's transport), written and read with Jackson's
        // streaming API (BulkBody): the typed BulkRequest writes each NDJSON line to the socket separately and reads
        // every field of every item back, which cost this sink more CPU than the documents themselves.
        this.rest = ((RestClientTransport) client._transport()).restClient();
        this.mapper = ((JacksonJsonpMapper) client._jsonpMapper()).objectMapper();
        this.indices = indices;
        this.tracker = tracker;
        this.malformed = malformed;
        this.settings = settings;
        this.metrics = metrics;
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
        if (!batch.isEmpty() && batchBytes + action.estimatedBytes() > settings.bulkSizeBytes()) {
            // Sent before it grows past bulk.size.bytes: a request of large rows must stay under the node's limit.
            dispatch();
        }
        if (batch.isEmpty()) {
            batchStartedNanos = System.nanoTime();
        }
        batch.add(new Pending(action, entry));
        batchBytes += action.estimatedBytes();
        if (batch.size() >= settings.batchSize() || batchBytes >= settings.bulkSizeBytes()) {
            dispatch();
        }
    }

    /** Sends the current batch if it has waited linger.ms (task thread). */
    public void maybeDispatch() {
        if (msUntilDue() == 0) {
            dispatch();
        }
    }

    /**
     * How long until the current batch is due (task thread): 0 if it is due now, -1 if there is none. The task asks
     * Connect to call {@code put} again by then, or a batch filled less than batch.size would wait for the next
     * record or the next offset commit, however long after linger.ms that is.
     */
    public long msUntilDue() {
        if (batch.isEmpty()) {
            return -1;
        }
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - batchStartedNanos);
        return Math.max(0, settings.lingerMs() - waited);
    }

    /** Sends the current batch now (task thread). */
    public void dispatch() {
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> toSend = batch;
        batch = new ArrayList<>();
        batchBytes = 0;
        inFlight.incrementAndGet();
        executor.execute(() -> {
            try {
                send(toSend);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
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

    private void send(List<Pending> items) throws InterruptedException {
        List<Pending> remaining = items;
        int attempt = 0;
        while (!remaining.isEmpty()) {
            String retryReason;
            try {
                remaining = materialize(remaining);
                remaining = ensureIndices(remaining);
                if (remaining.isEmpty()) {
                    return;
                }
                long started = System.nanoTime();
                BulkBody.Results results;
                try {
                    results = bulk(remaining);
                } catch (BulkBody.UnwritableAction e) {
                    remaining = refuse(remaining, e);
                    continue;
                }
                metrics.recordBulkLatency(System.nanoTime() - started);
                List<Pending> retry = new ArrayList<>();
                for (int i = 0; i < remaining.size(); i++) {
                    if (results.allSucceeded()) {
                        metrics.recordWritten(remaining.get(i).action());
                        tracker.done(remaining.get(i).entry());
                    } else if (!outcome(remaining.get(i), results.statuses()[i], results.errors()[i])) {
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
            if (settings.maxRetries() >= 0 && attempt >= settings.maxRetries()) {
                throw new ConnectException("Gave up on " + remaining.size() + " actions after " + attempt
                        + " retries (max.retries): " + retryReason);
            }
            long delay = settings.backoff().delayMs(attempt++);
            metrics.recordRetry();
            LOG.warn("Retrying {} actions in {} ms (attempt {}): {}", remaining.size(), delay, attempt, retryReason);
            Thread.sleep(delay);
        }
    }

    /** Hands an action whose document cannot be written to the malformed handler; the others go on. */
    private List<Pending> refuse(List<Pending> items, BulkBody.UnwritableAction unwritable) {
        Pending refused = items.get(unwritable.index);
        malformed.handle(refused.action(), unwritable.reason().getMessage());
        metrics.recordMalformed();
        tracker.done(refused.entry());
        List<Pending> rest = new ArrayList<>(items);
        rest.remove(unwritable.index);
        return rest;
    }

    /** One bulk request of the actions; each item's outcome. */
    private BulkBody.Results bulk(List<Pending> items) throws IOException {
        List<ChangeAction> actions = new ArrayList<>(items.size());
        for (Pending p : items) {
            actions.add(p.action());
        }
        Request request = new Request("POST", "/_bulk");
        request.addParameter("filter_path", RESPONSE_FIELDS);
        BulkBody.Bytes body = BulkBody.request(mapper, actions);
        request.setEntity(new ByteArrayEntity(body.buffer(), 0, body.length(), NDJSON));
        Response response = rest.performRequest(request);
        try (InputStream in = response.getEntity().getContent()) {
            return BulkBody.response(mapper, in, items.size());
        }
    }

    /**
     * What the sink reads of a bulk response ({@link BulkBody#response}): Elasticsearch leaves out the rest of each
     * item (index, id, version, shards, sequence number), which it would otherwise write, and the client read, for
     * every document. The error of a request refused as a whole stays in, for the message that reports it.
     */
    static final String RESPONSE_FIELDS = "errors,items.*.status,items.*.error.type,items.*.error.reason,error.type,error.reason,status";

    private static final ContentType NDJSON = ContentType.create("application/x-ndjson", StandardCharsets.UTF_8);

    /** Handles one item's result; false if it must be retried. */
    private boolean outcome(Pending pending, int status, String error) {
        if (error == null && status >= 200 && status < 300) {
            metrics.recordWritten(pending.action());
        } else if (status == 404 && pending.action().kind() == ChangeAction.Kind.DELETE) {
            // The document is already gone; Elasticsearch still records the delete's version, so a stale
            // write of that document is refused after it as after any delete.
            metrics.recordWritten(pending.action());
        } else if (status == 409) {
            metrics.recordStale();
        } else if (retriable(status)) {
            return false;
        } else {
            malformed.handle(pending.action(), error != null ? error : "status " + status);
            metrics.recordMalformed();
        }
        tracker.done(pending.entry());
        return true;
    }

    private List<Pending> materialize(List<Pending> items) throws java.sql.SQLException {
        if (materializer == null) {
            return items;
        }
        List<ChangeAction> read = materializer.materialize(items.stream().map(Pending::action).toList());
        List<Pending> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(new Pending(read.get(i), items.get(i).entry()));
        }
        return out;
    }

    /**
     * Creates indices and maps new row schemas before their documents are sent. An index or mapping Elasticsearch
     * refuses for good (a 4xx: a column whose type changed at the source, a field the mapping cannot take), or an index
     * that holds another table's documents ({@link IndexManager#refusal}), makes those items malformed; the others go
     * on. Temporary failures propagate, to be retried.
     *
     * @return the items still to send
     */
    private List<Pending> ensureIndices(List<Pending> items) throws IOException {
        Map<Schema, String> refused = new IdentityHashMap<>();
        Map<Schema, String> ready = new IdentityHashMap<>();
        java.util.Set<String> schemalessReady = new java.util.HashSet<>();
        Map<String, String> owner = new java.util.HashMap<>();
        List<Pending> send = new ArrayList<>(items.size());
        for (Pending p : items) {
            ChangeAction action = p.action();
            String ownerKey = action.index() + '\u0000' + action.entity();
            if (!owner.containsKey(ownerKey)) {
                owner.put(ownerKey, indices.refusal(action.index(), action.entity()));
            }
            String reason = owner.get(ownerKey);
            if (reason == null && action.kind() == ChangeAction.Kind.DELETE) {
                send.add(p);
                continue;
            }
            Schema schema = action.rowSchema();
            try {
                if (reason != null) {
                    // another table's index: refused below
                } else if (schema == null) {
                    if (schemalessReady.add(action.index())) {
                        indices.ensure(action.index(), null, action.entity());
                    }
                } else if (refused.containsKey(schema)) {
                    reason = refused.get(schema);
                } else if (!action.index().equals(ready.get(schema))) {
                    indices.ensure(action.index(), schema, action.entity());
                    ready.put(schema, action.index());
                }
            } catch (ElasticsearchException e) {
                if (retriable(e.status())) {
                    throw e;
                }
                reason = "index " + action.index() + " refused the mapping of schema " + (schema == null ? "(none)" : schema.name())
                        + ": " + e.getMessage();
                if (schema != null) {
                    refused.put(schema, reason);
                }
            }
            if (reason == null) {
                send.add(p);
            } else {
                malformed.handle(action, reason);
                metrics.recordMalformed();
                tracker.done(p.entry());
            }
        }
        return send;
    }

    static boolean retriable(int status) {
        return status == 429 || status >= 500;
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
