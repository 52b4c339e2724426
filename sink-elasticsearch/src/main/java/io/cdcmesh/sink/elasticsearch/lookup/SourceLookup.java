package io.cdcmesh.sink.elasticsearch.lookup;

import com.mysql.cj.jdbc.Driver;
import io.cdcmesh.sink.elasticsearch.request.ChangeAction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Delayed materialization: replaces each action's document by the row's current state, read from the source
 * database by primary key (one query per table per batch, in chunks of {@value #CHUNK} keys), or by a delete when
 * the row is gone. Actions keep their event's version. Rows are turned into documents as the event path does:
 * dates and times as ISO-8601 text, DECIMAL exact, bytes as Base64, TIMESTAMP in UTC, a POINT as {lat, lon}.
 *
 * <p>Table and column names come from the source; they are quoted as MySQL identifiers (backticks doubled) and
 * never spliced in raw. Key values are bound as parameters. Used by one bulk thread at a time per instance.
 */
public final class SourceLookup implements AutoCloseable {
    static final int CHUNK = 500;

    private final String url;
    private final Properties properties = new Properties();
    private Connection connection;

    public SourceLookup(String url, String user, String password) {
        this.url = url;
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        // Read values as Debezium reports them: TINYINT(1) and YEAR as numbers, times in UTC.
        properties.setProperty("tinyInt1isBit", "false");
        properties.setProperty("yearIsDateType", "false");
        properties.setProperty("connectionTimeZone", "UTC");
        properties.setProperty("forceConnectionTimeZoneToSession", "true");
    }

    /** The actions with their documents re-read from the source; same size and order as {@code actions}. */
    public synchronized List<ChangeAction> materialize(List<ChangeAction> actions) throws SQLException {
        Map<String, List<Integer>> byTable = new LinkedHashMap<>();
        List<List<String>> keyColumns = new ArrayList<>();
        List<List<LookupKeys.Bound>> keyValues = new ArrayList<>();
        for (int i = 0; i < actions.size(); i++) {
            SinkRecord record = actions.get(i).record();
            List<String> columns = new ArrayList<>();
            List<LookupKeys.Bound> values = new ArrayList<>();
            keyOf(record, columns, values);
            keyColumns.add(columns);
            keyValues.add(values);
            byTable.computeIfAbsent(entity(record) + "\u0000" + String.join("\u0000", columns), k -> new ArrayList<>()).add(i);
        }
        ChangeAction[] out = actions.toArray(new ChangeAction[0]);
        for (List<Integer> group : byTable.values()) {
            String entity = entity(actions.get(group.get(0)).record());
            List<String> columns = keyColumns.get(group.get(0));
            List<String> captured = capturedColumns(actions.get(group.get(0)).record());
            for (int from = 0; from < group.size(); from += CHUNK) {
                List<Integer> chunk = group.subList(from, Math.min(group.size(), from + CHUNK));
                Map<List<String>, Map<String, Object>> rows = read(entity, captured, columns,
                        chunk.stream().map(keyValues::get).toList());
                for (int index : chunk) {
                    ChangeAction action = actions.get(index);
                    Map<String, Object> row = rows.get(normalized(keyValues.get(index)));
                    out[index] = row == null
                            ? new ChangeAction(action.record(), ChangeAction.Kind.DELETE, action.index(), action.id(),
                                    action.version(), null, null, 64, action.sourceTs(), action.entity())
                            : new ChangeAction(action.record(), ChangeAction.Kind.INDEX, action.index(), action.id(),
                                    action.version(), action.rowSchema(), row, action.estimatedBytes(), action.sourceTs(),
                                    action.entity());
                }
            }
        }
        return Arrays.asList(out);
    }

    /**
     * Reads the rows of {@code keys}, only the {@code captured} columns (all of them when null), so that a column the
     * source leaves out (Debezium's column include/exclude lists) is never indexed from the database.
     */
    private Map<List<String>, Map<String, Object>> read(String entity, List<String> captured, List<String> columns,
            List<List<LookupKeys.Bound>> keys) throws SQLException {
        int dot = entity.indexOf('.');
        String table = quote(entity.substring(0, dot)) + "." + quote(entity.substring(dot + 1));
        String selected = captured == null ? "*" : String.join(",", captured.stream().map(SourceLookup::quote).toList());
        StringBuilder sql = new StringBuilder("SELECT ").append(selected).append(" FROM ").append(table).append(" WHERE ");
        String tuple = "(" + String.join(",", columns.stream().map(SourceLookup::quote).toList()) + ")";
        String placeholders = "(" + String.join(",", columns.stream().map(c -> "?").toList()) + ")";
        sql.append(columns.size() == 1 ? quote(columns.get(0)) : tuple).append(" IN (");
        for (int i = 0; i < keys.size(); i++) {
            sql.append(i == 0 ? "" : ",").append(columns.size() == 1 ? "?" : placeholders);
        }
        sql.append(')');
        Map<List<String>, Map<String, Object>> rows = new HashMap<>();
        try (PreparedStatement statement = connection().prepareStatement(sql.toString())) {
            int parameter = 1;
            for (List<LookupKeys.Bound> key : keys) {
                for (LookupKeys.Bound value : key) {
                    statement.setObject(parameter++, value.parameter());
                }
            }
            try (ResultSet rs = statement.executeQuery()) {
                ResultSetMetaData meta = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = document(rs, meta);
                    List<String> key = new ArrayList<>();
                    for (int c = 0; c < columns.size(); c++) {
                        key.add(LookupKeys.read(rs, columns.get(c), keys.get(0).get(c).kind()));
                    }
                    rows.put(key, row);
                }
            }
        } catch (SQLException e) {
            closeConnection();
            throw e;
        }
        return rows;
    }

    private static Map<String, Object> document(ResultSet rs, ResultSetMetaData meta) throws SQLException {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String type = meta.getColumnTypeName(i).toUpperCase(Locale.ROOT);
            Object value;
            switch (type) {
                case "DATE" -> value = text(rs.getObject(i, LocalDate.class));
                case "DATETIME" -> value = text(rs.getObject(i, LocalDateTime.class));
                case "TIMESTAMP" -> {
                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                    value = t == null ? null : t.toInstant().toString();
                }
                // A TIME is a duration up to ±838 hours, which LocalTime cannot hold: as the event path writes it.
                case "TIME" -> value = LookupKeys.timeText(rs.getString(i));
                case "BIT" -> value = bits(rs.getBytes(i));
                case "GEOMETRY", "POINT", "LINESTRING", "POLYGON", "MULTIPOINT", "MULTILINESTRING", "MULTIPOLYGON",
                        "GEOMETRYCOLLECTION" -> value = geometry(rs.getBytes(i));
                default -> {
                    Object v = rs.getObject(i);
                    value = v instanceof byte[] bytes ? Base64.getEncoder().encodeToString(bytes) : v;
                }
            }
            row.put(meta.getColumnLabel(i), value);
        }
        return row;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    /** BIT(n) as Debezium gives it: little-endian bytes, Base64. */
    private static String bits(byte[] bigEndian) {
        if (bigEndian == null) {
            return null;
        }
        byte[] little = new byte[bigEndian.length];
        for (int i = 0; i < bigEndian.length; i++) {
            little[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return Base64.getEncoder().encodeToString(little);
    }

    /** MySQL stores a 4-byte SRID before the WKB: a POINT becomes {lat, lon}, anything else Base64 WKB. */
    private static Object geometry(byte[] stored) {
        if (stored == null || stored.length < 9) {
            return null;
        }
        ByteBuffer wkb = ByteBuffer.wrap(stored, 4, stored.length - 4);
        ByteOrder order = wkb.get(4) == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        wkb.order(order);
        if (wkb.getInt(5) == 1 && stored.length >= 4 + 21) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("lat", wkb.getDouble(4 + 13));
            point.put("lon", wkb.getDouble(4 + 5));
            return point;
        }
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(stored, 4, stored.length));
    }

    private static void keyOf(SinkRecord record, List<String> columns, List<LookupKeys.Bound> values) {
        Object key = record.key();
        if (key instanceof Struct struct) {
            for (Field field : struct.schema().fields()) {
                columns.add(field.name());
                values.add(LookupKeys.bind(field.schema(), struct.get(field)));
            }
        } else if (key instanceof Map<?, ?> map) {
            new TreeMap<>(map).forEach((column, value) -> {
                columns.add(String.valueOf(column));
                values.add(LookupKeys.bind(null, value));
            });
        } else {
            throw new DataException("document.source=lookup needs the record key (the row's primary key) to re-read it;"
                    + " the record at " + record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset() + " has none");
        }
    }

    private static String entity(SinkRecord record) {
        Object value = record.value();
        Object entity = value instanceof Struct s ? s.get("entity") : value instanceof Map<?, ?> m ? m.get("entity") : null;
        if (!(entity instanceof String e) || e.indexOf('.') <= 0) {
            throw new DataException("Field 'entity' (db.table) is needed to re-read the row of the record at " + record.topic());
        }
        return e;
    }

    private static List<String> normalized(List<LookupKeys.Bound> key) {
        List<String> out = new ArrayList<>(key.size());
        for (LookupKeys.Bound value : key) {
            out.add(LookupKeys.canonical(value));
        }
        return out;
    }

    /** The columns the source captures: those of the event's row image schema; null without schemas (all of them). */
    private static List<String> capturedColumns(SinkRecord record) {
        if (!(record.value() instanceof Struct value)) {
            return null;
        }
        for (String image : new String[] {"after", "before"}) {
            Field field = value.schema().field(image);
            if (field != null && field.schema().type() == Schema.Type.STRUCT) {
                return field.schema().fields().stream().map(Field::name).toList();
            }
        }
        return null;
    }

    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }

    private Connection connection() throws SQLException {
        if (connection == null || connection.isClosed()) {
            // The driver is instantiated directly: DriverManager does not see drivers in a plugin's classloader.
            connection = new Driver().connect(url, properties);
            if (connection == null) {
                throw new SQLException("Not a MySQL or MariaDB JDBC URL: " + url.replaceAll("//[^/@]*@", "//***@"));
            }
            connection.setReadOnly(true);
        }
        return connection;
    }

    private void closeConnection() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // a broken connection is replaced on the next lookup
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeConnection();
    }
}
