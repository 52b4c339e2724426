package io.cdcmesh.transforms;

import io.cdcmesh.transforms.NormalizeChangeEventConfig.PositionMode;

/** Where one change stands in its source's binlog: its uuid, position and commit time. */
final class BinlogPlace {
    /** The fields of Debezium's {@code source} block (and {@code transaction.total_order}) that place a change. */
    record SourceFields(Object connector, Object serverId, Object file, Object pos, Object row, Object tsMs, Object totalOrder) {}

    final String type;
    final String uuid;
    final long position;
    final long ts;
    final String file;
    final long eventPosition;
    final long rowInEvent;

    private BinlogPlace(String type, String uuid, long position, long ts, String file, long eventPosition, long rowInEvent) {
        this.type = type;
        this.uuid = uuid;
        this.position = position;
        this.ts = ts;
        this.file = file;
        this.eventPosition = eventPosition;
        this.rowInEvent = rowInEvent;
    }

    static BinlogPlace of(CrudType type, String entity, String id, SourceFields source, PositionMode configured) {
        String file = source.file() instanceof String s ? s : null;
        long sequence = SourcePosition.fileSequence(file);
        long pos = requireNumber(source.pos(), "source.pos");
        long ts = requireNumber(source.tsMs(), "source.ts_ms");
        long server = source.serverId() == null ? 0 : requireNumber(source.serverId(), "source.server_id");
        long row = source.row() == null ? 0 : requireNumber(source.row(), "source.row");
        if (type == CrudType.READ) {
            String uuid = ChangeUuids.of(server, file, pos, 0, type, entity, id);
            return new BinlogPlace(type.name(), uuid, SourcePosition.snapshot(sequence, pos), ts, file, pos, 0);
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
            return new BinlogPlace(type.name(), uuid, SourcePosition.inTransaction(sequence, pos, ordinal), ts, file, pos, ordinal);
        }
        String uuid = ChangeUuids.of(server, file, pos, row, type, entity, id);
        return new BinlogPlace(type.name(), uuid, SourcePosition.streamed(sequence, pos, row), ts, file, pos, row);
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
