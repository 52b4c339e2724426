package io.cdcmesh.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.servers.MySqlReplication;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.WorkDir;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Debezium follows the GTID set onto a promoted replica whose binlog files are numbered behind the old primary's;
 * the positions NormalizeChangeEvent gives keep growing for every row, and a change read twice keeps its uuid.
 * Real servers, real failover (docs/positions.md).
 */
class PositionsAcrossFailoverIT {
    private static final String CONNECTOR = "io.debezium.connector.mysql.MySqlConnector";

    @Test
    void positionsKeepGrowingAfterFailoverToAReplicaWithLowerBinlogNumbers() throws Exception {
        Path state = WorkDir.fresh("failover-capture");
        List<SourceRecord> raw = new ArrayList<>();
        String oldFile;
        String newFile;
        try (MySqlReplication replication = MySqlReplication.start(51)) {
            MySqlServer primary = replication.primary();
            primary.recreateDatabase("shop");
            primary.execute("shop", "CREATE TABLE orders (id INT PRIMARY KEY, total INT)",
                    "INSERT INTO orders VALUES (1, 10), (2, 20), (3, 30)");
            try (CapturingEngine engine = new CapturingEngine(primary, CONNECTOR, "shop", state, Map.of())) {
                engine.await("the snapshot", 3, op("r"));
                primary.execute("shop", "FLUSH BINARY LOGS", "FLUSH BINARY LOGS", "FLUSH BINARY LOGS",
                        "UPDATE orders SET total = 11 WHERE id = 1", "INSERT INTO orders VALUES (4, 40)");
                raw.addAll(engine.await("two changes on the old primary", 2, streamed()));
                raw.addAll(0, engine.all().stream().filter(op("r")).toList());
            }
            oldFile = file(raw.get(raw.size() - 1));

            MySqlServer promoted = replication.failover();
            try (CapturingEngine engine = new CapturingEngine(promoted, CONNECTOR, "shop", state, Map.of())) {
                promoted.execute("shop", "UPDATE orders SET total = 12 WHERE id = 1", "DELETE FROM orders WHERE id = 2");
                List<SourceRecord> after = engine.await("two changes on the promoted replica", 2,
                        streamed().and(r -> !file(r).equals(oldFile)));
                raw.addAll(after);
                newFile = file(after.get(after.size() - 1));
            }
        }
        assertThat(sequence(newFile)).as("the premise: the promoted replica's binlog is numbered behind").isLessThan(sequence(oldFile));

        NormalizeChangeEvent<SourceRecord> normalize = new NormalizeChangeEvent<>();
        normalize.configure(Map.of());
        Map<String, Long> lastById = new HashMap<>();
        Map<String, String> byUuid = new LinkedHashMap<>();
        for (SourceRecord record : raw) {
            Struct event = (Struct) normalize.apply(record).value();
            String id = event.getString("id");
            long position = event.getInt64("position");
            String seen = byUuid.put(event.getString("uuid"), id + "@" + position);
            if (seen != null) {
                assertThat(seen).as("a change read twice is the same change").isEqualTo(id + "@" + position);
                continue;
            }
            Long previous = lastById.put(id, position);
            if (previous != null) {
                assertThat(position).as("changes to order %s in commit order across the failover", id).isGreaterThan(previous);
            }
        }
        assertThat(lastById).containsOnlyKeys("1", "2", "3", "4");
    }

    private static Predicate<SourceRecord> op(String op) {
        return r -> r.value() instanceof Struct s && s.schema().field("op") != null && op.equals(s.getString("op"));
    }

    private static Predicate<SourceRecord> streamed() {
        return r -> r.value() instanceof Struct s && s.schema().field("op") != null && !"r".equals(s.getString("op"));
    }

    private static String file(SourceRecord record) {
        return ((Struct) record.value()).getStruct("source").getString("file");
    }

    private static long sequence(String file) {
        return Long.parseLong(file.substring(file.lastIndexOf('.') + 1));
    }
}
