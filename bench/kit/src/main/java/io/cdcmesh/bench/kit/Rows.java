package io.cdcmesh.bench.kit;

import io.cdcmesh.servers.MySqlServer;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The benchmark's rows: a titles table of eight columns of the usual kinds (int, text, date, decimal, double, datetime). */
public final class Rows {
    private static final String[] STUDIOS = {"Northlight", "Harbour", "Meridian", "Foxglove"};
    private static final int PER_STATEMENT = 5_000;

    private Rows() {}

    public static void fillTitles(MySqlServer mysql, String db, int rows) throws SQLException {
        try (Connection c = mysql.connect(db); Statement s = c.createStatement()) {
            for (int from = 1; from <= rows; from += PER_STATEMENT) {
                StringBuilder sql = new StringBuilder("INSERT INTO titles VALUES ");
                for (int id = from; id < from + PER_STATEMENT && id <= rows; id++) {
                    if (id > from) {
                        sql.append(',');
                    }
                    sql.append('(').append(id).append(",'Title number ").append(id).append("','")
                            .append(STUDIOS[id % STUDIOS.length]).append("','2026-")
                            .append(String.format("%02d-%02d", 1 + id % 12, 1 + id % 28)).append("',")
                            .append(1_000_000 + id).append(".25,").append(80 + id % 90).append(',')
                            .append(id % 100 / 10.0).append(",'2026-11-01 10:00:00.")
                            .append(String.format("%06d", id % 1_000_000)).append("')");
                }
                s.execute(sql.toString());
            }
        }
    }

    /** One multi-row INSERT of events rows {@code from..to} (inclusive) into events. */
    public static String eventsInsert(String table, long from, long to) {
        StringBuilder sql = new StringBuilder("INSERT INTO " + table + " VALUES ");
        for (long id = from; id <= to; id++) {
            if (id > from) {
                sql.append(',');
            }
            sql.append('(').append(id).append(",'Event ").append(id).append("','")
                    .append(STUDIOS[(int) (id % STUDIOS.length)]).append("',").append(id % 10_000).append(".50,NOW(6))");
        }
        return sql.toString();
    }
}
