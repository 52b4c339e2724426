package io.cdcmesh.converters.json;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/**
 * Connect schemas by the exact bytes of their JSON form, as they stand in a record's envelope.
 *
 * <p>A topic's records repeat the same schema text byte for byte (the serializer writes it from one cached tree), so
 * a byte comparison with the few schemas seen last finds it without parsing it. Records whose schema is not among
 * those are looked up by a hash of the bytes in an LRU map of {@code schemas.cache.size} entries. Methods are
 * synchronized: a converter instance belongs to one task, so the lock is uncontended.
 */
final class SchemaCache {
    /** A schema and its JSON text. */
    record Entry(byte[] json, Schema schema) {}

    private static final int RECENT = 8;

    private final Entry[] recent = new Entry[RECENT];
    private final Map<Key, Entry> byBytes;

    SchemaCache(int capacity) {
        this.byBytes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The recently used entry whose JSON text stands in {@code bytes} at {@code at}, followed by {@code after}; null if
     * none does.
     */
    synchronized Entry recentAt(byte[] bytes, int at, byte[] after) {
        for (int i = 0; i < RECENT; i++) {
            Entry e = recent[i];
            if (e == null) {
                return null;
            }
            int end = at + e.json.length;
            if (end + after.length <= bytes.length
                    && Arrays.equals(bytes, at, end, e.json, 0, e.json.length)
                    && Arrays.equals(bytes, end, end + after.length, after, 0, after.length)) {
                if (i > 0) {
                    promote(i);
                }
                return e;
            }
        }
        return null;
    }

    /** The entry whose JSON text is {@code bytes[from, to)}, null if it is not cached. */
    synchronized Entry get(byte[] bytes, int from, int to) {
        Entry e = byBytes.get(new Key(bytes, from, to));
        if (e != null) {
            remember(e);
        }
        return e;
    }

    /** Caches {@code schema} for the JSON text {@code bytes[from, to)}. */
    synchronized Entry put(byte[] bytes, int from, int to, Schema schema) {
        Entry e = new Entry(Arrays.copyOfRange(bytes, from, to), schema);
        byBytes.put(new Key(e.json, 0, e.json.length), e);
        remember(e);
        return e;
    }

    synchronized int size() {
        return byBytes.size();
    }

    private void remember(Entry e) {
        for (int i = 0; i < RECENT; i++) {
            if (recent[i] == e) {
                promote(i);
                return;
            }
        }
        System.arraycopy(recent, 0, recent, 1, RECENT - 1);
        recent[0] = e;
    }

    private void promote(int i) {
        Entry e = recent[i];
        System.arraycopy(recent, 0, recent, 1, i);
        recent[0] = e;
    }

    /** A range of bytes compared by content. */
    private static final class Key {
        private final byte[] bytes;
        private final int from;
        private final int to;
        private final int hash;

        Key(byte[] bytes, int from, int to) {
            this.bytes = bytes;
            this.from = from;
            this.to = to;
            int h = 1;
            for (int i = from; i < to; i++) {
                h = 31 * h + bytes[i];
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && hash == k.hash && Arrays.equals(bytes, from, to, k.bytes, k.from, k.to);
        }
    }
}
