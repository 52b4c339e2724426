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
 *
 * <p>Each index records in its mapping's {@code _meta} the one table whose documents it holds ({@value #OWNER}), or
 * {@value #SHARED} for ids namespaced by table, so that two tables whose index names coincide (a pattern without the
 * table, names that differ only in case, a router merging topics) can never overwrite each other's documents: the
 * second one's changes are refused with the reason, whichever task or connector writes them.
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
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    private final boolean namespacedIds;

    /** The {@code _meta} key naming the table an index holds. */
    static final String OWNER = "cdcmesh_entity";
    /** The owner of an index whose document ids are namespaced by table. */
    static final String SHARED = "*";

    public IndexManager(ElasticsearchClient client, int shards, int replicas, long gcDeletesMs, boolean namespacedIds) {
        this.client = client;
        this.shards = shards;
        this.replicas = replicas;
        this.gcDeletesMs = gcDeletesMs;
        this.namespacedIds = namespacedIds;
    }

    /**
     * Why a change of {@code entity} must not be written to {@code index}, or null if it may. The index's owner is read
     * (or, for an index without one, recorded) once. An index that does not exist yet has no owner: a delete may go.
     */
    public String refusal(String index, String entity) throws IOException {
        String owner = owners.get(index);
        if (owner == null) {
            if (!existing.contains(index) && !client.indices().exists(e -> e.index(index)).value()) {
                return null;
            }
            owner = ownerOf(index, entity);
        }
        String mine = stamp(entity);
        if (owner.equals(mine)) {
            return null;
        }
        if (owner.equals(SHARED)) {
            return "index " + index + " holds documents of several tables under ids namespaced by table"
                    + " (document.id.namespace=entity); this connector writes plain ids: set document.id.namespace=entity";
        }
        return "index " + index + " holds the documents of table " + owner + "; a change of " + (namespacedIds
                ? "another table, under a namespaced id," : "table " + entity) + " would mix with them (plain ids of two"
                + " tables overwrite each other). Give each table its own index (index.name.pattern with ${table}), or"
                + " use document.id.namespace=entity for a new shared index";
    }

    private String stamp(String entity) {
        return namespacedIds ? SHARED : entity;
    }

    /**
     * The owner recorded in the index's {@code _meta}. An index without one (made before owners were recorded, or by
     * hand) is claimed for {@code entity}, then read again: of two writers claiming it at once, both see the same winner.
     */
    private String ownerOf(String index, String entity) throws IOException {
        String owner = readOwner(index);
        if (owner == null) {
            String body = json(Map.of("_meta", Map.of(OWNER, stamp(entity))));
            client.indices().putMapping(PutMappingRequest.of(b -> b.index(index).withJson(new StringReader(body))));
            owner = readOwner(index);
            LOG.info("Index {} had no recorded table; it now holds {}", index, owner);
        }
        owners.put(index, owner);
        return owner;
    }

    private String readOwner(String index) throws IOException {
        var mapping = client.indices().getMapping(g -> g.index(index)).get(index);
        var meta = mapping == null || mapping.mappings() == null ? null : mapping.mappings().meta();
        return meta == null || meta.get(OWNER) == null ? null : meta.get(OWNER).to(String.class);
    }

    /** Makes sure {@code index} exists and maps every field of {@code rowSchema} (null: schemaless, dynamic mapping). */
    public void ensure(String index, Schema rowSchema, String entity) throws IOException {
        if (!existing.contains(index)) {
            create(index, rowSchema, entity);
            existing.add(index);
            return;
        }
        if (rowSchema != null && !isMapped(index, rowSchema)) {
            putMapping(index, rowSchema);
        }
    }

    private void create(String index, Schema rowSchema, String entity) throws IOException {
        if (client.indices().exists(e -> e.index(index)).value()) {
            if (rowSchema != null) {
                putMapping(index, rowSchema);
            }
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("settings", Map.of("index", Map.of("number_of_shards", shards, "number_of_replicas", replicas,
                "gc_deletes", gcDeletesMs + "ms")));
        Map<String, Object> mappings = new LinkedHashMap<>();
        mappings.put("_meta", Map.of(OWNER, stamp(entity)));
        if (rowSchema != null) {
            mappings.put("properties", Mappings.properties(rowSchema));
        }
        body.put("mappings", mappings);
        try {
            client.indices().create(CreateIndexRequest.of(b -> b.index(index).withJson(new StringReader(json(body)))));
            owners.put(index, stamp(entity));
            LOG.info("Created index {} for {} ({} shards, {} replicas, gc_deletes {} ms)", index, stamp(entity), shards, replicas,
                    gcDeletesMs);
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
