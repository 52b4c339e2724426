package io.cdcmesh.sink.elasticsearch.bulk;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import io.cdcmesh.sink.elasticsearch.index.IndexManager;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.connect.data.Schema;

/**
 * Creates indices and maps new row schemas before their documents are sent. An index or mapping Elasticsearch
 * refuses for good (a 4xx: a column whose type changed at the source, a field the mapping cannot take), or an index
 * that holds another table's documents ({@link IndexManager#refusal}), makes those items refused; the others go on.
 * Temporary failures propagate, to be retried.
 */
final class IndexPreparation implements BulkSender.Preparation {
    private final IndexManager indices;
    private final ItemOutcomes outcomes;

    IndexPreparation(IndexManager indices, ItemOutcomes outcomes) {
        this.indices = indices;
        this.outcomes = outcomes;
    }

    @Override
    public List<BulkItem> prepare(List<BulkItem> items) throws IOException {
        Map<Schema, String> refused = new IdentityHashMap<>();
        Map<Schema, String> ready = new IdentityHashMap<>();
        Set<String> schemalessReady = new HashSet<>();
        Map<String, String> owner = new HashMap<>();
        List<BulkItem> send = new ArrayList<>(items.size());
        for (BulkItem item : items) {
            ChangeAction action = item.action();
            String ownerKey = action.index() + '\u0000' + action.entity();
            if (!owner.containsKey(ownerKey)) {
                owner.put(ownerKey, indices.refusal(action.index(), action.entity()));
            }
            String reason = owner.get(ownerKey);
            if (reason == null && action.kind() == ChangeAction.Kind.DELETE) {
                send.add(item);
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
                if (BulkSender.retriable(e.status())) {
                    throw e;
                }
                reason = "index " + action.index() + " refused the mapping of schema " + (schema == null ? "(none)" : schema.name())
                        + ": " + e.getMessage();
                if (schema != null) {
                    refused.put(schema, reason);
                }
            }
            if (reason == null) {
                send.add(item);
            } else {
                outcomes.refused(item, reason);
            }
        }
        return send;
    }
}
