package io.cdcmesh.transforms;


/**
 * Folds a change's place in its source into one long.
 *
 * <p>On the source side (a record with Debezium's source offset), the position is the transaction's rank in its
 * topology ({@link TransactionRank}, or the binlog place of the transaction's start without GTIDs) under an epoch
 * the operator bumps after a binlog reset: {@code epoch << 56 | rank}. Every change of one transaction shares it;
 * the sinks keep their order inside a transaction (see docs/positions.md). Positions of this kind are all above
 * {@code 1 << 56}, so they sort after every position of the binlog fold below, which older releases wrote.
 *
 * <p>Where no source offset is at hand (the transform applied on the sink side), the binlog fold:
 *
 * <p>Layout: the binlog file's sequence number (the digits after the last dot of {@code mysql-bin.000042})
 * in the high 31 bits, and an offset within that file in the low 32 bits. Binlog offsets are 32-bit in the
 * v4 event format, so they always fit.
 *
 * <p>Within a file, a streamed row is placed at {@code pos + row + 1}, where {@code pos} is the start of its
 * rows event and {@code row} its index in that event. Every row in a rows event takes at least one byte of
 * it and the event has a header, so {@code pos + row + 1} stays strictly between the event's start and the
 * start of the next event: positions are unique and ordered across events and across rows of one event.
 *
 * <p>MariaDB reports the start of the transaction as every event's {@code pos}. There a change is placed at
 * {@code pos + total_order}, Debezium's 1-based ordinal of the change within its transaction: every change
 * takes at least one byte of the transaction, so this too stays below the start of the next transaction.
 *
 * <p>A snapshot row is placed exactly at the snapshot's binlog position {@code pos}: it shows the state
 * before any event at or after that position, so it sorts before every streamed change that follows it.
 */
public final class SourcePosition {
    static final int OFFSET_BITS = 32;
    static final long MAX_FILE_SEQUENCE = (1L << (63 - OFFSET_BITS)) - 1;
    static final long MAX_OFFSET = (1L << OFFSET_BITS) - 1;

    static final int EPOCH_SHIFT = 56;
    static final long MAX_RANK = (1L << EPOCH_SHIFT) - 1;
    static final int MAX_EPOCH = 127;

    private SourcePosition() {}

    /** A source-side position: the transaction's rank under the epoch. */
    public static long ranked(int epoch, long rank) {
        if (epoch < 1 || epoch > MAX_EPOCH) {
            throw new UnorderableChangeException("position.epoch " + epoch + " is out of range (1.." + MAX_EPOCH + ")");
        }
        if (rank < 0 || rank > MAX_RANK) {
            throw new UnorderableChangeException("transaction rank " + rank + " is out of range (0.." + MAX_RANK + ")");
        }
        return ((long) epoch << EPOCH_SHIFT) | rank;
    }

    /** The rank of a transaction without GTIDs: its start in one server's binlog. */
    public static long binlogRank(long fileSequence, long offset) {
        return fold(fileSequence, offset);
    }

    public static long streamed(long fileSequence, long eventPosition, long rowInEvent) {
        return fold(fileSequence, eventPosition + rowInEvent + 1);
    }

    public static long inTransaction(long fileSequence, long transactionPosition, long ordinalInTransaction) {
        return fold(fileSequence, transactionPosition + ordinalInTransaction);
    }

    public static long snapshot(long fileSequence, long snapshotPosition) {
        return fold(fileSequence, snapshotPosition);
    }

    public static long fileSequenceOf(long position) {
        return position >>> OFFSET_BITS;
    }

    public static long offsetOf(long position) {
        return position & MAX_OFFSET;
    }

    private static long fold(long fileSequence, long offset) {
        if (fileSequence < 0 || fileSequence > MAX_FILE_SEQUENCE) {
            throw new UnorderableChangeException("binlog file sequence " + fileSequence + " is out of range (0.." + MAX_FILE_SEQUENCE + ")");
        }
        if (offset < 0 || offset > MAX_OFFSET) {
            throw new UnorderableChangeException("binlog offset " + offset + " in field 'source.pos' is out of range (0.." + MAX_OFFSET + ")");
        }
        return (fileSequence << OFFSET_BITS) | offset;
    }

    private static final ThreadLocal<Object[]> LAST_FILE = ThreadLocal.withInitial(() -> new Object[] {null, 0L});

    /** The sequence number of a binlog file name such as {@code mysql-bin.000042}. */
    public static long fileSequence(String binlogFile) {
        Object[] last = LAST_FILE.get();
        if (binlogFile != null && binlogFile.equals(last[0])) {
            return (Long) last[1];
        }
        long sequence = parseFileSequence(binlogFile);
        last[0] = binlogFile;
        last[1] = sequence;
        return sequence;
    }

    private static long parseFileSequence(String binlogFile) {
        if (binlogFile == null || binlogFile.isEmpty()) {
            throw new UnorderableChangeException("Field 'source.file' is missing: cannot place the change in binlog order");
        }
        int dot = binlogFile.lastIndexOf('.');
        int start = dot + 1;
        if (start >= binlogFile.length()) {
            throw new UnorderableChangeException("Field 'source.file' has no sequence number after its last dot: '" + binlogFile + "'");
        }
        long sequence = 0;
        for (int i = start; i < binlogFile.length(); i++) {
            char c = binlogFile.charAt(i);
            if (c < '0' || c > '9' || sequence > MAX_FILE_SEQUENCE) {
                throw new UnorderableChangeException("Field 'source.file' has no valid sequence number after its last dot: '" + binlogFile + "'");
            }
            sequence = sequence * 10 + (c - '0');
        }
        return sequence;
    }
}
