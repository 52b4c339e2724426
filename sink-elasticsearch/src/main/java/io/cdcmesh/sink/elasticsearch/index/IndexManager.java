package io.cdcmesh.sink.elasticsearch.index;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.CreateIndexRequest;
import co.elastic.clients.elasticsearch.indices.PutMappingRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringReader;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.data.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the indices the connector writes to, with an explicit mapping from the row schema and the settings
 * it is configured with, and adds the fields of a new row schema (a column added at the source) to the mapping
 * before a document that has them is written. Thread-safe: bulk requests run on several threads.
 */
public final class IndexManager {
    private static final Logger LOG = LoggerFactory.getLogger(IndexManager.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchClient client;
    private final int shards;
    private final int replicas;
    private final long gcDeletesMs;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, Set<Schema>> mapped = new ConcurrentHashMap<>();

    public IndexManager(ElasticsearchClient client, int shards, int replicas, long gcDeletesMs) {
        this.client = client;
        this.shards = shards;
        this.replicas = replicas;
        this.gcDeletesMs = gcDeletesMs;
    }

    /** Makes sure {@code index} exists and maps every field of {@code rowSchema} (null: schemaless, dynamic mapping). */
    public void ensure(String index, Schema rowSchema) throws IOException {
        if (!existing.contains(index)) {
            create(index, rowSchema);
            existing.add(index);
            return;
        }
        if (rowSchema != null && !isMapped(index, rowSchema)) {
            putMapping(index, rowSchema);
        }
    }

    private void create(String index, Schema rowSchema) throws IOException {
        if (client.indices().exists(e -> e.index(index)).value()) {
            if (rowSchema != null) {
                putMapping(index, rowSchema);
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("settings", Map.of("index", Map.of("number_of_shards", shards, "number_of_replicas", replicas,
                "gc_deletes", gcDeletesMs + "ms")));
        if (rowSchema != null) {
            body.put("mappings", Map.of("properties", Mappings.properties(rowSchema)));
        }
        try {
            client.indices().create(CreateIndexRequest.of(b -> b.index(index).withJson(new StringReader(json(body)))));
            LOG.info("Created index {} ({} shards, {} replicas, gc_deletes {} ms)", index, shards, replicas, gcDeletesMs);
            if (rowSchema != null) {
                markMapped(index, rowSchema);
            }
        } catch (ElasticsearchException e) {
            if (!"resource_already_exists_exception".equals(e.error().type())) {
                throw e;
            }
            if (rowSchema != null) {
                putMapping(index, rowSchema);
            }
        }
    }

    private void putMapping(String index, Schema rowSchema) throws IOException {
        String body = json(Map.of("properties", Mappings.properties(rowSchema)));
        client.indices().putMapping(PutMappingRequest.of(b -> b.index(index).withJson(new StringReader(body))));
        markMapped(index, rowSchema);
        LOG.info("Mapped the fields of schema {} in index {}", rowSchema.name(), index);
    }

    private boolean isMapped(String index, Schema rowSchema) {
        Set<Schema> schemas = mapped.get(index);
        if (schemas == null) {
            return false;
        }
        synchronized (schemas) {
            return schemas.contains(rowSchema);
        }
    }

    private void markMapped(String index, Schema rowSchema) {
        Set<Schema> schemas = mapped.computeIfAbsent(index, k -> Collections.newSetFromMap(new IdentityHashMap<>()));
        synchronized (schemas) {
            schemas.add(rowSchema);
        }
    }

    private static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a mapping as JSON", e);
        }
    }
}
