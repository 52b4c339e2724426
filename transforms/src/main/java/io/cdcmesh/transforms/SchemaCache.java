package io.cdcmesh.transforms;

import java.util.function.Function;
import org.apache.kafka.common.cache.Cache;
import org.apache.kafka.common.cache.LRUCache;
import org.apache.kafka.common.cache.SynchronizedCache;
import org.apache.kafka.connect.data.Schema;

/**
 * A bounded cache of values derived from schemas. Converters and Debezium hand out the same schema instance
 * for every record of a table, so the first level is keyed by identity (no deep {@code hashCode} per record);
 * the second, keyed by equality, saves a rebuild when an equal schema arrives as a new instance.
 */
final class SchemaCache<V> {
    private record Identity(Schema schema) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Identity other && other.schema == schema;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(schema);
        }
    }

    private final Cache<Identity, V> byIdentity;
    private final Cache<Schema, V> byEquality;

    SchemaCache(int size) {
        byIdentity = new SynchronizedCache<>(new LRUCache<>(size));
        byEquality = new SynchronizedCache<>(new LRUCache<>(size));
    }

    V get(Schema schema, Function<Schema, V> derive) {
        Identity identity = new Identity(schema);
        V value = byIdentity.get(identity);
        if (value == null) {
            value = byEquality.get(schema);
            if (value == null) {
                value = derive.apply(schema);
                byEquality.put(schema, value);
            }
            byIdentity.put(identity, value);
        }
        return value;
    }
}
