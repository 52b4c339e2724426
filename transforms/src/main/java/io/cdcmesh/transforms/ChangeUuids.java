package io.cdcmesh.transforms;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

    private static final class Hasher {
        private final MessageDigest sha1;
        private final byte[] buffer = new byte[64];

        Hasher() {
            try {
                sha1 = MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-1 is required by the Java platform", e);
            }
            putLong(buffer, 0, NAMESPACE.getMostSignificantBits());
            putLong(buffer, 8, NAMESPACE.getLeastSignificantBits());
        }

        String uuid(long serverId, String file, long position, long row, CrudType type, String entity, String id) {
            sha1.update(buffer, 0, 16);
            putLong(buffer, 16, serverId);
            putLong(buffer, 24, position);
            putLong(buffer, 32, row);
            buffer[40] = (byte) type.ordinal();
            sha1.update(buffer, 16, 25);
            updateString(file);
            updateString(entity);
            updateString(id);
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

        /** Length-prefixed, so that adjacent strings cannot shift into each other. */
        private void updateString(String s) {
            byte[] bytes = s == null ? new byte[0] : s.getBytes(StandardCharsets.UTF_8);
            int length = s == null ? -1 : bytes.length;
            buffer[48] = (byte) (length >>> 24);
            buffer[49] = (byte) (length >>> 16);
            buffer[50] = (byte) (length >>> 8);
            buffer[51] = (byte) length;
            sha1.update(buffer, 48, 4);
            sha1.update(bytes);
        }

        private static void putLong(byte[] b, int at, long v) {
            for (int i = 7; i >= 0; i--) {
                b[at + i] = (byte) v;
                v >>>= 8;
            }
        }
    }
}
