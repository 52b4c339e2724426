package io.cdcmesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.testkit.ElasticsearchExtension;
import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.Listeners;
import io.cdcmesh.testkit.MariaDbExtension;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.testkit.MySqlExtension;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.testkit.SchemaRegistryExtension;
import io.cdcmesh.servers.SchemaRegistryServer;
import io.cdcmesh.servers.TlsProxy;
import io.cdcmesh.testkit.connect.ConnectWorkerProcess;
import io.cdcmesh.testkit.connect.ConnectWorkers;
import io.cdcmesh.testkit.hive.HiveExtension;
import io.cdcmesh.servers.hive.HiveServer;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every server the tests start (in this JVM or as its child processes) listens on loopback, never on every interface. */
@ExtendWith({MySqlExtension.class, MariaDbExtension.class, ElasticsearchExtension.class, HiveExtension.class,
        SchemaRegistryExtension.class})
class LoopbackOnlyIT {
    private final Closer closer = new Closer();

    @AfterEach
    void stop() {
        closer.close();
    }

    @Test
    void everyServerTheTestsStartListensOnLoopbackOnly(MySqlServer mysql, MariaDbServer mariadb, ElasticsearchServer es,
            HiveServer hive, SchemaRegistryServer registry) throws Exception {
        EmbeddedKafkaCluster kafka = closer.broker();
        closer.add(ConnectWorkerProcess.start(kafka.bootstrapServers(), "loopback-it", "loopback-it-1"));
        EmbeddedConnectCluster inProcess = ConnectWorkers.start("loopback-it-embedded");
        closer.add(inProcess::stop);
        closer.add(TlsProxy.start("loopback-it", es.httpPort(), "elastic", "secret"));
        assertThat(mysql.port()).isPositive();
        assertThat(mariadb.port()).isPositive();
        assertThat(hive.jdbcUrl()).contains("127.0.0.1");
        assertThat(registry.confluentUrl()).contains("127.0.0.1");

        assertThat(Listeners.onEveryInterface()).as("listening sockets on the wildcard address").isEmpty();
    }
}
