package io.cdcmesh.it;

import io.cdcmesh.servers.ElasticsearchServer;
import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.servers.MySqlServer;
import java.util.LinkedHashMap;
import java.util.Map;

/** Connector configs the runtime tests share: Debezium MySQL or MariaDB with NormalizeChangeEvent, and the Elasticsearch sink. */
final class Pipelines {
    private Pipelines() {}

    /** Debezium's MySQL connector on {@code db}, topics {@code studio.<db>.<table>}, normalized. */
    static Map<String, String> mysqlSource(MySqlServer mysql, String db) {
        Map<String, String> source = new LinkedHashMap<>(mysql.debeziumConnection());
        source.put("connector.class", "io.debezium.connector.mysql.MySqlConnector");
        source.put("topic.prefix", "studio");
        source.put("database.include.list", db);
        source.put("poll.interval.ms", "50");
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        return source;
    }

    /** Debezium's MariaDB connector on {@code db}, as connect-configs/mariadb-source.json sets it, normalized. */
    static Map<String, String> mariadbSource(MariaDbServer mariadb, String db) {
        Map<String, String> source = new LinkedHashMap<>(mariadb.debeziumConnection());
        source.put("connector.class", "io.debezium.connector.mariadb.MariaDbConnector");
        source.put("tasks.max", "1");
        source.put("topic.prefix", "studio");
        source.put("database.include.list", db);
        source.put("provide.transaction.metadata", "true");
        source.put("driver.yearIsDateType", "false");
        source.put("transforms", "normalize");
        source.put("transforms.normalize.type", "io.cdcmesh.transforms.NormalizeChangeEvent");
        return source;
    }

    /** The Elasticsearch sink on every table of {@code db}, one replica-less index per table. */
    static Map<String, String> elasticsearchSink(ElasticsearchServer es, String db) {
        Map<String, String> search = new LinkedHashMap<>();
        search.put("connector.class", "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector");
        search.put("topics.regex", "studio\\." + db + "\\..*");
        search.put("connection.url", es.url());
        search.put("index.replicas", "0");
        return search;
    }
}
