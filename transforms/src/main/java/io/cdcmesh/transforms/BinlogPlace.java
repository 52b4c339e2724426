package io.cdcmesh.transforms;

import io.cdcmesh.transforms.NormalizeChangeEventConfig.PositionMode;
import java.util.Map;

/** Where one change stands in its source's binlog: its uuid, position, ordinal and commit time. */
final class BinlogPlace {
    /** Rows events and rows within a transaction, as Debezium's offset counts them, each fit in 31 bits. */
    private static final long MAX_EVENT_OR_ROW = (1L << 31) - 1;

    /** The fields of Debezium's {@code source} block (and {@code transaction.total_order}) that place a change. */
    record SourceFields(Object connector, Object serverId, Object file, Object pos, Object row, Object tsMs, Object totalOrder) {}

    final String type;
    final String uuid;
    final long position;
    /**
     * The change's place among the changes that share its position, unique and in source order for streamed changes
     * (docs/positions.md); for a snapshot row, the snapshot's start, which its rows share.
     */
    final long ordinal;
    final long ts;

    private BinlogPlace(String type, String uuid, long position, long ordinal, long ts) {
        this.type = type;
        this.uuid = uuid;
        this.position = position;
        this.ordinal = ordinal;
        this.ts = ts;
    }

    /**
     * A change read on the source side, placed from Debezium's source offset (docs/positions.md): its transaction's
     * rank from the GTID set before it (without GTIDs, the transaction's start in the binlog), and its place inside
     * the transaction from the offset's (event, row), which Debezium itself skips by on restart and which stay
     * distinct inside compressed transaction payloads. A snapshot row takes the snapshot's own set: after every
     * transaction the snapshot saw, before the first it did not. Nothing depends on earlier records.
     *
     * <p>The ordinal of a streamed change is {@code event << 32 | row << 1 | c}, where {@code c} is 1 for a CREATE: a
     * key change gives a DELETE and a CREATE at one (event, row), in that order. A snapshot row's ordinal is the
     * snapshot's start time, the same for its rows, so a snapshot taken again at an unchanged place is a new set of
     * observations with new uuids.
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
        if (read) {
            return new BinlogPlace(type.name(), ChangeUuids.ofRanked(position, ts, 0, type, entity, id), position, ts, ts);
        }
        long event = inRange(offsetNumber(offset, "event"), "event");
        long row = inRange(offsetNumber(offset, "row"), "row");
        long ordinal = event << 32 | row << 1 | (type == CrudType.CREATE ? 1 : 0);
        return new BinlogPlace(type.name(), ChangeUuids.ofRanked(position, event, row, type, entity, id), position, ordinal, ts);
    }

    private static long inRange(long value, String key) {
        if (value < 0 || value > MAX_EVENT_OR_ROW) {
            throw new UnorderableChangeException("The source offset's '" + key + "' is " + value + ", out of range (0.."
                    + MAX_EVENT_OR_ROW + "): cannot place the change in its transaction");
        }
        return value;
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
            // As on the source side: the table's snapshot start orders and names the snapshot's rows.
            String uuid = ChangeUuids.of(server, file, pos, ts, type, entity, id);
            return new BinlogPlace(type.name(), uuid, SourcePosition.snapshot(sequence, pos), ts, ts);
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
            return new BinlogPlace(type.name(), uuid, SourcePosition.inTransaction(sequence, pos, ordinal), createBit(type), ts);
        }
        String uuid = ChangeUuids.of(server, file, pos, row, type, entity, id);
        return new BinlogPlace(type.name(), uuid, SourcePosition.streamed(sequence, pos, row), createBit(type), ts);
    }

    /** In the binlog fold every row has its own position, but a key change's DELETE and CREATE share it: DELETE first. */
    private static long createBit(CrudType type) {
        return type == CrudType.CREATE ? 1 : 0;
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
