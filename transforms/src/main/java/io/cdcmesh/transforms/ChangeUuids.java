package io.cdcmesh.transforms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.UUID;

/**
 * Deterministic, name-based (RFC 9562 version 5, SHA-1) uuids for change events.
 *
 * <p>The name is the change's place in the source's binlog (server id, binlog file, event position, row in
 * the event) plus its type, entity and id. Re-reading the same binlog row event gives the same uuid. The
 * type tells apart the DELETE and CREATE Debezium emits for one row whose key changed; entity and id tell
 * apart snapshot rows, which all share the snapshot's binlog position.
 */
public final class ChangeUuids {
    /** The namespace of cdc-mesh change uuids: the version 5 uuid of "io.cdcmesh.change" in RFC 9562's URL namespace. */
    public static final UUID NAMESPACE = UUID.fromString("80d41148-c5dc-5f74-befb-39bec17b799d");

    private static final ThreadLocal<Hasher> HASHERS = ThreadLocal.withInitial(Hasher::new);

    private ChangeUuids() {}

    public static String of(long serverId, String binlogFile, long position, long row, CrudType type, String entity, String id) {
        return HASHERS.get().uuid(serverId, binlogFile, position, row, type, entity, id);
    }

    /**
     * The uuid of a change placed on the source side: its position (epoch and transaction rank) and its place in the
     * transaction (the source offset's event and row). The same change read again, from any server of the topology,
     * gets the same uuid. The name starts with a marker no binlog file name has, so it never meets {@link #of}'s.
     */
    public static String ofRanked(long position, long event, long row, CrudType type, String entity, String id) {
        return HASHERS.get().uuid(event, RANKED, position, row, type, entity, id);
    }

    private static final String RANKED = "\u0000ranked";

    private static final class Hasher {
        private final MessageDigest sha1;
        private byte[] buffer = new byte[256];
        private int length;

        Hasher() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by the Java platform", e);
            }
        }

        String uuid(long serverId, String file, long position, long row, CrudType type, String entity, String id) {
            length = 0;
            putLong(NAMESPACE.getMostSignificantBits());
            putLong(NAMESPACE.getLeastSignificantBits());
            putLong(serverId);
            putLong(position);
            putLong(row);
            ensure(1);
            buffer[length++] = (byte) type.ordinal();
            putString(file);
            putString(entity);
            putString(id);
            sha1.update(buffer, 0, length);
            byte[] hash = sha1.digest();
            hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
            hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
            long msb = 0;
            long lsb = 0;
            for (int i = 0; i < 8; i++) {
                msb = (msb << 8) | (hash[i] & 0xff);
                lsb = (lsb << 8) | (hash[8 + i] & 0xff);
            }
            return new UUID(msb, lsb).toString();
        }

        /** Length-prefixed UTF-8, so that adjacent strings cannot shift into each other. */
        private void putString(String s) {
            if (s == null) {
                putInt(-1);
                return;
            }
            int n = s.length();
            int at = length + 4;
            ensure(4 + n);
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                buffer[at + i] = (byte) c;
            }
            if (i == n) {
                putInt(n);
                length += n;
                return;
            }
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            putInt(utf8.length);
            ensure(utf8.length);
            System.arraycopy(utf8, 0, buffer, length, utf8.length);
            length += utf8.length;
        }

        private void putInt(int v) {
            ensure(4);
            buffer[length++] = (byte) (v >>> 24);
            buffer[length++] = (byte) (v >>> 16);
            buffer[length++] = (byte) (v >>> 8);
            buffer[length++] = (byte) v;
        }

        private void putLong(long v) {
            ensure(8);
            for (int i = 7; i >= 0; i--) {
                buffer[length + i] = (byte) v;
                v >>>= 8;
            }
            length += 8;
        }

        private void ensure(int more) {
            if (length + more > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + more));
            }
        }
    }
}
