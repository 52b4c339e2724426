package io.cdcmesh.it;

import io.cdcmesh.servers.Await;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.hive.HiveServer;
import java.io.ObjectInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A workload of large multi-statement transactions on {@code db.titles}, so a crash lands inside one: each inserts
 * {@value #ROWS} rows in one statement, updates them all in one, updates {@value #SINGLE_UPDATES} of them again one
 * statement each, changes the key of {@value #KEY_CHANGES} (a DELETE and a CREATE at one place in the binlog),
 * deletes {@value #DELETES} and updates rows of the transaction before. Every change is counted per type.
 */
final class LargeTransactions {
    static final int ROWS = 300;
    static final int SINGLE_UPDATES = 100;
    static final int KEY_CHANGES = 20;
    static final int DELETES = 30;
    static final int CHANGES_PER_TRANSACTION = 2 * ROWS + SINGLE_UPDATES + 2 * KEY_CHANGES + DELETES + DELETES;
    /** Far above any id the inserts use: where changed keys go. */
    private static final int MOVED = 10_000_000;
    private static final Pattern SKIPPED_EVENTS = Pattern.compile("Skip (\\d+) events on streaming start");

    private LargeTransactions() {}

    static void createTables(SqlServer server, String db) {
        server.recreateDatabase(db);
        server.execute(db, "CREATE TABLE titles (id INT PRIMARY KEY, name VARCHAR(100), revision INT)",
                "CREATE TABLE probe (id INT PRIMARY KEY)");
    }

    /**
     * Commits {@code transactions} transactions, staying at most two transactions ahead of the audit table, so the
     * stream is still flowing (and inside a transaction) whenever a test kills what carries it.
     */
    static void write(SqlServer server, String db, int transactions, AuditTables.Changes changes, String table, HiveServer hive) {
        try (Connection c = server.connect(db); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int t = 0; t < transactions; t++) {
                int base = t * ROWS;
                StringBuilder insert = new StringBuilder("INSERT INTO titles VALUES ");
                for (int i = 1; i <= ROWS; i++) {
                    insert.append(i == 1 ? "" : ", ").append("(").append(base + i).append(", 'Title ").append(base + i).append("', 0)");
                }
                changes.run(s, table, "CREATE", insert.toString());
                changes.run(s, table, "UPDATE", "UPDATE titles SET revision = 1, name = CONCAT(name, ' r1') WHERE id BETWEEN "
                        + (base + 1) + " AND " + (base + ROWS));
                for (int i = 1; i <= SINGLE_UPDATES; i++) {
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = 2, name = CONCAT(name, ' r2') WHERE id = " + (base + i));
                }
                for (int i = 1; i <= KEY_CHANGES; i++) {
                    int id = base + SINGLE_UPDATES + i;
                    long moved = s.executeUpdate("UPDATE titles SET id = " + (MOVED + id) + " WHERE id = " + id);
                    changes.add(table, "DELETE", moved);
                    changes.add(table, "CREATE", moved);
                }
                int firstDeleted = base + SINGLE_UPDATES + KEY_CHANGES + 1;
                changes.run(s, table, "DELETE", "DELETE FROM titles WHERE id BETWEEN " + firstDeleted + " AND "
                        + (firstDeleted + DELETES - 1));
                if (t > 0) {
                    int previous = base - ROWS + SINGLE_UPDATES + KEY_CHANGES + DELETES + 1;
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 10 WHERE id BETWEEN " + previous
                            + " AND " + (previous + DELETES - 1));
                }
                c.commit();
                long made = changes.total(table);
                Await.until(Duration.ofSeconds(180), "the audit table within two transactions of change " + made,
                        throttled(() -> AuditTables.rows(hive, table) >= made - 2L * CHANGES_PER_TRANSACTION));
            }
        } catch (Exception e) {
            throw new IllegalStateException("workload failed", e);
        }
    }

    /** Checks {@code condition} at most twice a second: counting audit rows reads them all. */
    static java.util.function.BooleanSupplier throttled(java.util.function.BooleanSupplier condition) {
        long[] next = {0};
        return () -> {
            long now = System.nanoTime();
            if (now - next[0] < 0) {
                return false;
            }
            next[0] = now + Duration.ofMillis(500).toNanos();
            return condition.getAsBoolean();
        };
    }

    /**
     * True if the source offset last committed is inside a transaction: Debezium, restarted from it, skips the events
     * of that transaction it has already emitted ({@code "event"} above 0).
     */
    static boolean insideATransaction(String offset) {
        return offset != null && INSIDE.matcher(offset).find();
    }

    private static final Pattern INSIDE = Pattern.compile("\"event\":\\s*[1-9]");

    /** The source offset {@code cdc-mesh run} last committed (Kafka's file offset store), or null before the first. */
    static String committedInFile(Path offsets) {
        if (!Files.exists(offsets)) {
            return null;
        }
        try (ObjectInputStream in = new ObjectInputStream(Files.newInputStream(offsets))) {
            String last = null;
            for (Object value : ((Map<?, ?>) in.readObject()).values()) {
                last = value instanceof ByteBuffer b ? StandardCharsets.UTF_8.decode(b.duplicate()).toString()
                        : new String((byte[]) value, StandardCharsets.UTF_8);
            }
            return last;
        } catch (Exception e) {
            return null; // read while the runtime rewrites it: ask again
        }
    }

    /** The source offset a Connect worker last committed to its offsets topic, or null before the first. */
    static String committedInTopic(String bootstrap, String offsetsTopic) {
        List<ConsumerRecord<byte[], byte[]>> records = StudioPipeline.read(bootstrap, offsetsTopic);
        for (int i = records.size() - 1; i >= 0; i--) {
            if (records.get(i).value() != null) {
                return new String(records.get(i).value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * How many of these logs show Debezium resuming inside a transaction: it then skips the events of the transaction
     * it has already emitted ("Skip N events on streaming start", N > 0).
     */
    static long resumedInsideATransaction(List<Path> logs) throws Exception {
        long count = 0;
        for (Path log : logs) {
            Matcher m = SKIPPED_EVENTS.matcher(Files.readString(log));
            while (m.find()) {
                if (Long.parseLong(m.group(1)) > 0) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }
}
