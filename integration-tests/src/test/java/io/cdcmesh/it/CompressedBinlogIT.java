package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.ManagedProcess;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import io.cdcmesh.servers.WorkDir;
import io.cdcmesh.servers.hive.HiveServer;
import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.testkit.hive.HiveExtension;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16, point 3, in {@code cdc-mesh run}: a MySQL 8 server with {@code binlog_transaction_compression=ON}, where
 * every rows event of a transaction reports the compressed payload's position and the row counter restarts in each.
 * Multi-statement transactions (an INSERT then UPDATE of one row, two UPDATEs of one row, a 1,000-row statement next
 * to single-row ones, a DELETE after an UPDATE) reach the index field by field and the audit exactly once, and the
 * forwarded changes carry distinct (position, ordinal) places in source order.
 */
@ExtendWith({ElasticsearchExtension.class, HiveExtension.class})
class CompressedBinlogIT {
    private static final String DB = "compressed";
    private static final String AUDIT = "audit_compressed";
    private static final String TARGET_TOPIC = "updates.compressed";

    private final Path work = WorkDir.fresh("compressed-binlog");
    private final Closer closer = new Closer();
    private ManagedProcess runtime;

    @AfterEach
    void stop() {
        if (runtime != null) {
            runtime.close();
        }
        closer.close();
    }

    @Test
    void transactionsInsideCompressedPayloadsReachTheSinksInOrderAndOnce(ElasticsearchServer es, HiveServer hive) throws Exception {
        try (MySqlServer mysql = MySqlServer.launch(MySqlServer.Options.gtid(81, "--binlog-transaction-compression=ON"))) {
            StudioPipeline.createTables(mysql, DB);
            EmbeddedKafkaCluster kafka = closer.broker();
            kafka.createTopic(TARGET_TOPIC, 2);
            Path pipeline = StudioPipeline.write(work.resolve("pipeline.json"), work.resolve("state"), DB, AUDIT, TARGET_TOPIC, mysql,
                    es, hive, kafka.bootstrapServers());
            runtime = CdcMeshRuntime.start("cdc-mesh-compressed", work, work.resolve("run.log"),
                    Map.of(StudioPipeline.PASSWORD_ENV, SqlServer.CDC_PASSWORD), "run", pipeline.toString());
            AuditTables.awaitStreaming(mysql, hive, DB, AUDIT);

            String table = AUDIT + "." + DB + "_titles";
            AuditTables.Changes changes = new AuditTables.Changes();
            try (Connection c = mysql.connect(DB); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (int round = 0; round < 20; round++) {
                    int id = round * 10 + 1;
                    changes.run(s, table, "CREATE", "INSERT INTO titles VALUES (" + id + ", 'New " + id + "', 0)");
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = 1, name = 'New " + id + " r1' WHERE id = " + id);
                    changes.run(s, table, "CREATE", "INSERT INTO titles VALUES (" + (id + 1) + ", 'Other', 0), (" + (id + 2)
                            + ", 'Other', 0)");
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = 2, name = 'New " + id + " r2' WHERE id = " + id);
                    changes.run(s, table, "UPDATE", "UPDATE titles SET revision = 1 WHERE id = " + (id + 2));
                    changes.run(s, table, "DELETE", "DELETE FROM titles WHERE id = " + (id + 2));
                    c.commit();
                }
                StringBuilder bulk = new StringBuilder("INSERT INTO titles VALUES ");
                for (int id = 10_000; id < 11_000; id++) {
                    bulk.append(id == 10_000 ? "" : ", ").append("(").append(id).append(", 'Bulk ").append(id).append("', 0)");
                }
                changes.run(s, table, "CREATE", bulk.toString());
                changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 1, name = CONCAT(name, ' r')"
                        + " WHERE id BETWEEN 10000 AND 10999 OR id % 10 = 1");
                changes.run(s, table, "UPDATE", "UPDATE titles SET revision = revision + 1 WHERE id = 10500");
                c.commit();
            }
            StudioPipeline.assertSinksEqualSource(mysql, es, hive, kafka.bootstrapServers(), DB, AUDIT, TARGET_TOPIC, changes);
            assertPlacesDistinctAndInOrder(StudioPipeline.read(kafka.bootstrapServers(), TARGET_TOPIC));
        }
    }

    /**
     * The UPDATE events the forward sink passed on, two of one row in most transactions: the changes of a transaction
     * share its position, and their ordinals (from Debezium's offset, not the payload's shared {@code source.pos}) are
     * distinct and grow in source order, which each partition of the topic keeps.
     */
    private static void assertPlacesDistinctAndInOrder(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        ObjectMapper json = new ObjectMapper();
        Map<Integer, List<long[]>> perPartition = new TreeMap<>();
        Set<String> places = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            JsonNode value = json.readTree(record.value());
            long[] place = {value.path("position").asLong(), value.path("ordinal").asLong(-1)};
            assertThat(place[1]).as("the ordinal of %s", value.path("uuid")).isNotNegative();
            places.add(place[0] + "/" + place[1]);
            perPartition.computeIfAbsent(record.partition(), k -> new ArrayList<>()).add(place);
        }
        assertThat(places).as("distinct (position, ordinal) of the forwarded updates").hasSize(records.size());
        perPartition.forEach((partition, list) -> {
            for (int i = 1; i < list.size(); i++) {
                long[] before = list.get(i - 1);
                long[] now = list.get(i);
                assertThat(now[0] > before[0] || now[0] == before[0] && now[1] > before[1])
                        .as("partition %d, record %d after %d: (%d, %d) after (%d, %d)", partition, i, i - 1, now[0], now[1], before[0],
                                before[1]).isTrue();
            }
        });
    }
}
