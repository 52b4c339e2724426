package io.cdcmesh.bench.kit;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcmesh.servers.ElasticsearchServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.http.HttpHost;
import org.elasticsearch.client.RestClient;

/**
 * The raw bulk-index rate of the node: the documents an index holds, bulk-indexed again into new indices with
 * the same mapping and settings by the plain elasticsearch-java client, with a fixed number of requests in flight.
 */
public final class BulkCeiling {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchServer es;
    private final JsonNode mappings;
    private final List<String> ids;
    private final List<Map<String, Object>> documents;

    private BulkCeiling(ElasticsearchServer es, JsonNode mappings, List<String> ids, List<Map<String, Object>> documents) {
        this.es = es;
        this.mappings = mappings;
        this.ids = ids;
        this.documents = documents;
    }

    /** Reads every document of {@code index} (scroll) and its mapping. */
    @SuppressWarnings("unchecked")
    public static BulkCeiling load(ElasticsearchServer es, String index) throws IOException {
        JsonNode mappings = JSON.readTree(es.request("GET", "/" + index + "/_mapping", null)).path(index).path("mappings");
        List<String> ids = new ArrayList<>();
        List<Map<String, Object>> documents = new ArrayList<>();
        JsonNode page = JSON.readTree(es.request("POST", "/" + index + "/_search?scroll=1m", "{\"size\":10000,\"sort\":[\"_doc\"]}"));
        while (page.path("hits").path("hits").size() > 0) {
            for (JsonNode hit : page.path("hits").path("hits")) {
                ids.add(hit.path("_id").asText());
                documents.add(JSON.convertValue(hit.path("_source"), Map.class));
            }
            ObjectNode next = JSON.createObjectNode().put("scroll", "1m").put("scroll_id", page.path("_scroll_id").asText());
            page = JSON.readTree(es.request("POST", "/_search/scroll", next.toString()));
        }
        es.request("DELETE", "/_search/scroll/_all", null);
        return new BulkCeiling(es, mappings, ids, documents);
    }

    /** How many documents a run sends. */
    public int size() {
        return documents.size();
    }

    /** Bulk-indexes every document into a new index {@code name}; returns documents per second, first request to last acknowledgement. */
    public double run(String name, int batchSize, int inFlight, Runnable onStart, Runnable onEnd) throws Exception {
        ObjectNode create = JSON.createObjectNode();
        create.putObject("settings").put("number_of_shards", 1).put("number_of_replicas", 0);
        create.set("mappings", mappings);
        es.request("PUT", "/" + name, create.toString());
        try (RestClient rest = RestClient.builder(HttpHost.create(es.url())).build()) {
            ElasticsearchAsyncClient client = new ElasticsearchAsyncClient(new RestClientTransport(rest, new JacksonJsonpMapper(JSON)));
            Semaphore permits = new Semaphore(inFlight);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            List<CompletableFuture<BulkResponse>> requests = new ArrayList<>();
            onStart.run();
            long started = System.nanoTime();
            for (int from = 0; from < documents.size() && failure.get() == null; from += batchSize) {
                List<BulkOperation> operations = new ArrayList<>(batchSize);
                for (int i = from; i < Math.min(from + batchSize, documents.size()); i++) {
                    String id = ids.get(i);
                    Map<String, Object> document = documents.get(i);
                    operations.add(BulkOperation.of(o -> o.index(x -> x.index(name).id(id).document(document))));
                }
                permits.acquire();
                requests.add(client.bulk(BulkRequest.of(b -> b.operations(operations))).whenComplete((response, error) -> {
                    permits.release();
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (response.errors()) {
                        failure.compareAndSet(null, new IllegalStateException("bulk item failed: "
                                + response.items().stream().filter(item -> item.error() != null).findFirst().orElseThrow().error()));
                    }
                }));
            }
            CompletableFuture.allOf(requests.toArray(CompletableFuture[]::new)).join();
            long elapsed = System.nanoTime() - started;
            onEnd.run();
            if (failure.get() != null) {
                throw new IllegalStateException("ceiling run " + name + " failed", failure.get());
            }
            double rate = documents.size() / (elapsed / 1e9);
            System.out.printf("[bench] %s: %,d documents in %.2f s: %,.0f docs/s%n", name, documents.size(), elapsed / 1e9, rate);
            return rate;
        } finally {
            es.request("DELETE", "/" + name, null);
        }
    }
}
