package io.cdcmesh.transforms;

/**
 * A transaction's place in its source topology's history, read from the GTID set Debezium records in each record's
 * source offset. MySQL ({@code uuid:1-4:7-9,uuid2:1-5}, tags allowed): the number of transactions in the set.
 * MariaDB ({@code 0-2-6,1-3-100}): the sum of the sequence numbers, one per domain. GTID sets are global and only
 * grow, so the rank keeps its order on any server of the topology, across failover. See docs/positions.md.
 */
final class TransactionRank {
    private static final ThreadLocal<Object[]> LAST = ThreadLocal.withInitial(() -> new Object[] {null, 0L});

    private TransactionRank() {}

    /** The rank of a GTID set (cached for the last set seen: every record of a transaction has the same one). */
    static long of(String gtidSet) {
        Object[] last = LAST.get();
        if (gtidSet.equals(last[0])) {
            return (Long) last[1];
        }
        long rank = parse(gtidSet);
        last[0] = gtidSet;
        last[1] = rank;
        return rank;
    }

    private static long parse(String gtidSet) {
        long rank = 0;
        for (String member : gtidSet.split(",")) {
            String gtids = member.strip();
            if (gtids.isEmpty()) {
                continue;
            }
            rank = Math.addExact(rank, gtids.indexOf(':') >= 0 ? mysqlCount(gtids, gtidSet) : mariadbSequence(gtids, gtidSet));
        }
        return rank;
    }

    /** {@code uuid[:tag]:a-b:c...}: the number of transactions in the intervals. */
    private static long mysqlCount(String gtids, String set) {
        String[] parts = gtids.split(":");
        long count = 0;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            if (part.isEmpty() || !Character.isDigit(part.charAt(0))) {
                continue; // a tag (MySQL 8.3+): the intervals after it belong to the same server uuid
            }
            int dash = part.indexOf('-');
            long first = number(dash < 0 ? part : part.substring(0, dash), set);
            long last = dash < 0 ? first : number(part.substring(dash + 1), set);
            if (last < first) {
                throw unreadable(set);
            }
            count = Math.addExact(count, last - first + 1);
        }
        return count;
    }

    /** {@code domain-server-sequence}: the sequence number. */
    private static long mariadbSequence(String gtid, String set) {
        String[] parts = gtid.split("-");
        if (parts.length != 3) {
            throw unreadable(set);
        }
        return number(parts[2], set);
    }

    private static long number(String text, String set) {
        try {
            long n = Long.parseLong(text.strip());
            if (n < 0) {
                throw unreadable(set);
            }
            return n;
        } catch (NumberFormatException e) {
            throw unreadable(set);
        }
    }

    private static UnorderableChangeException unreadable(String set) {
        return new UnorderableChangeException("The source offset's GTID set '" + set + "' is neither a MySQL nor a MariaDB"
                + " GTID set: cannot place the change in the topology's order");
    }
}
