package io.cdcmesh.bench.kit;

import io.cdcmesh.servers.MySqlServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.locks.LockSupport;

/**
 * Inserts events rows at a steady rate: one multi-row INSERT (its own transaction) every 10 ms, on a fixed
 * schedule, and notes when each commit returned. Ids run from 1 in order.
 */
public final class SteadyWriter {
    public static final long TICK_NANOS = 10_000_000L;

    private final MySqlServer mysql;
    private final String db;
    private final String table;
    private final int rowsPerTick;
    private final long[] committedAt;
    private long started;

    public SteadyWriter(MySqlServer mysql, String db, String table, int ratePerSecond, int seconds) {
        this.mysql = mysql;
        this.db = db;
        this.table = table;
        this.rowsPerTick = Math.max(1, ratePerSecond / 100);
        this.committedAt = new long[seconds * 100];
    }

    public void run() throws SQLException {
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            started = System.nanoTime();
            for (int tick = 0; tick < committedAt.length; tick++) {
                long due = started + tick * TICK_NANOS;
                // Pacing to the schedule; a late tick is not made up by sleeping less than zero.
                for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                    LockSupport.parkNanos(wait);
                }
                s.executeUpdate(Rows.eventsInsert(table, firstId(tick), lastId(tick)));
                committedAt[tick] = System.nanoTime();
            }
        }
    }

    public long firstId(int tick) {
        return (long) tick * rowsPerTick + 1;
    }

    public long lastId(int tick) {
        return (long) (tick + 1) * rowsPerTick;
    }

    public int ticks() {
        return committedAt.length;
    }

    public long committedAt(int tick) {
        return committedAt[tick];
    }

    public long started() {
        return started;
    }

    public long rows() {
        return (long) committedAt.length * rowsPerTick;
    }

    public int rowsPerTick() {
        return rowsPerTick;
    }
}
