package io.cdcmesh.transforms;

import io.cdcmesh.transforms.NormalizeChangeEventConfig.PositionMode;
import java.util.Map;

/** Where one change stands in its source's binlog: its uuid, position and commit time. */
final class BinlogPlace {
    /** The fields of Debezium's {@code source} block (and {@code transaction.total_order}) that place a change. */
    record SourceFields(Object connector, Object serverId, Object file, Object pos, Object row, Object tsMs, Object totalOrder) {}

    final String type;
    final String uuid;
    final long position;
    final long ts;

    private BinlogPlace(String type, String uuid, long position, long ts) {
        this.type = type;
        this.uuid = uuid;
        this.position = position;
        this.ts = ts;
    }

    /**
     * A change read on the source side, placed from Debezium's source offset (docs/positions.md): its transaction's
     * rank from the GTID set before it (without GTIDs, the transaction's start in the binlog), and its place inside
     * the transaction from the offset's (event, row), which Debezium itself skips by on restart and which stay
     * distinct inside compressed transaction payloads. A snapshot row takes the snapshot's own set: after every
     * transaction the snapshot saw, before the first it did not. Nothing depends on earlier records.
     */
    static BinlogPlace fromOffset(CrudType type, String entity, String id, Map<String, ?> offset, Object tsMs, int epoch) {
        long ts = requireNumber(tsMs, "source.ts_ms");
        boolean read = type == CrudType.READ;
        long rank;
        if (offset.get("gtids") instanceof String gtids) {
            rank = TransactionRank.of(gtids);
        } else {
            String file = offset.get("file") instanceof String f ? f : null;
            rank = SourcePosition.binlogRank(SourcePosition.fileSequence(file), offsetNumber(offset, "pos"));
        }
        long position = SourcePosition.ranked(epoch, read ? rank : rank + 1);
        long event = read ? 0 : offsetNumber(offset, "event");
        long row = read ? 0 : offsetNumber(offset, "row");
        return new BinlogPlace(type.name(), ChangeUuids.ofRanked(position, event, row, type, entity, id), position, ts);
    }

    private static long offsetNumber(Map<String, ?> offset, String key) {
        Object value = offset.get(key);
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new UnorderableChangeException("The source offset's '" + key + "' is " + (value == null ? "missing" : "not a number: "
                + value) + ": cannot place the change in its transaction");
    }

    /** A change placed from its source block alone (the transform applied on the sink side): the binlog fold. */
    static BinlogPlace of(CrudType type, String entity, String id, SourceFields source, PositionMode configured) {
        String file = source.file() instanceof String s ? s : null;
        long sequence = SourcePosition.fileSequence(file);
        long pos = requireNumber(source.pos(), "source.pos");
        long ts = requireNumber(source.tsMs(), "source.ts_ms");
        long server = source.serverId() == null ? 0 : requireNumber(source.serverId(), "source.server_id");
        long row = source.row() == null ? 0 : requireNumber(source.row(), "source.row");
        if (type == CrudType.READ) {
            String uuid = ChangeUuids.of(server, file, pos, 0, type, entity, id);
            return new BinlogPlace(type.name(), uuid, SourcePosition.snapshot(sequence, pos), ts);
        }
        if (resolve(configured, source.connector()) == PositionMode.TRANSACTION) {
            if (source.totalOrder() == null) {
                throw new UnorderableChangeException("Change to " + entity + " has no 'transaction.total_order': with position.mode"
                        + " 'transaction' (MariaDB) the Debezium connector must run with provide.transaction.metadata=true,"
                        + " because MariaDB reports the transaction's start as every event's source.pos");
            }
            long ordinal = requireNumber(source.totalOrder(), "transaction.total_order");
            if (ordinal < 1) {
                throw new UnorderableChangeException("Field 'transaction.total_order' must be at least 1, got " + ordinal);
            }
            String uuid = ChangeUuids.of(server, file, pos, ordinal, type, entity, id);
            return new BinlogPlace(type.name(), uuid, SourcePosition.inTransaction(sequence, pos, ordinal), ts);
        }
        String uuid = ChangeUuids.of(server, file, pos, row, type, entity, id);
        return new BinlogPlace(type.name(), uuid, SourcePosition.streamed(sequence, pos, row), ts);
    }

    static PositionMode resolve(PositionMode configured, Object connector) {
        if (configured != PositionMode.AUTO) {
            return configured;
        }
        return "mariadb".equals(connector) ? PositionMode.TRANSACTION : PositionMode.EVENT;
    }

    static long requireNumber(Object value, String field) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        throw new UnorderableChangeException("Field '" + field + "' is " + (value == null ? "missing" : "not a number: " + value));
    }
}
