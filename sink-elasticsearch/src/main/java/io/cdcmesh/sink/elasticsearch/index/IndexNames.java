package io.cdcmesh.sink.elasticsearch.index;

import io.cdcmesh.common.event.EntityName;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.connect.errors.DataException;

/**
 * The index a change goes to: an explicit topic-to-index map first, else a pattern over ${db}, ${table},
 * ${entity} and ${topic}. Names are made acceptable to Elasticsearch: lowercase; \ / * ? " < > | space , # :
 * replaced by '_'; leading '-', '_', '+', '.' removed (an entity without a db gives
 * {@code .table} under the default pattern); at most 255 bytes. Names come from the source's identifiers,
 * so nothing else is ever spliced into a request path.
 */
public final class IndexNames {
    private final String pattern;
    private final Map<String, String> topicMap;
    private final Map<String, Map<String, String>> cache = new ConcurrentHashMap<>();

    public IndexNames(String pattern, Map<String, String> topicMap) {
        this.pattern = pattern;
        this.topicMap = Map.copyOf(topicMap);
    }

    public String indexFor(String topic, String entity) {
        Map<String, String> byEntity = cache.get(topic);
        String index = byEntity == null ? null : byEntity.get(entity);
        if (index != null) {
            return index;
        }
        return cache.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).computeIfAbsent(entity, e -> resolve(topic, entity));
    }

    private String resolve(String topic, String entity) {
        String explicit = topicMap.get(topic);
        if (explicit != null) {
            return sanitize(explicit);
        }
        EntityName name = EntityName.of(entity);
        return sanitize(pattern.replace("${db}", name.db()).replace("${table}", name.table()).replace("${entity}", entity)
                .replace("${topic}", topic));
    }

    public static String sanitize(String name) {
        StringBuilder out = new StringBuilder(name.length());
        for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
            out.append("\\/*?\"<>| ,#:".indexOf(c) >= 0 || Character.isISOControl(c) ? '_' : c);
        }
        int start = 0;
        while (start < out.length() && "-_+.".indexOf(out.charAt(start)) >= 0) {
            start++;
        }
        String result = out.substring(start);
        while (result.getBytes(StandardCharsets.UTF_8).length > 255) {
            result = result.substring(0, result.length() - 1);
        }
        if (result.isEmpty() || result.equals(".") || result.equals("..")) {
            throw new DataException("Index name '" + name + "' is empty or invalid once made acceptable to Elasticsearch");
        }
        return result;
    }
}
