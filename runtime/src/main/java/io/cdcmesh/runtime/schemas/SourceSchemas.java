package io.cdcmesh.runtime.schemas;

import io.cdcmesh.runtime.embedded.SourceJdbc;
import io.debezium.config.Configuration;
import io.debezium.connector.binlog.BinlogConnectorConfig;
import io.debezium.connector.binlog.jdbc.BinlogValueConverters;
import io.debezium.connector.mariadb.MariaDbConnectorConfig;
import io.debezium.connector.mariadb.antlr.MariaDbAntlrDdlParser;
import io.debezium.connector.mariadb.jdbc.MariaDbDefaultValueConverter;
import io.debezium.connector.mariadb.jdbc.MariaDbValueConverters;
import io.debezium.connector.mysql.MySqlConnectorConfig;
import io.debezium.connector.mysql.antlr.MySqlAntlrDdlParser;
import io.debezium.connector.mysql.jdbc.MySqlDefaultValueConverter;
import io.debezium.connector.mysql.jdbc.MySqlValueConverters;
import io.debezium.relational.CustomConverterRegistry;
import io.debezium.relational.DefaultValueConverter;
import io.debezium.relational.Table;
import io.debezium.relational.TableId;
import io.debezium.relational.TableSchema;
import io.debezium.relational.TableSchemaBuilder;
import io.debezium.relational.Tables;
import io.debezium.relational.ValueConverterProvider;
import io.debezium.relational.ddl.DdlParser;
import io.debezium.relational.mapping.ColumnMappers;
import io.debezium.spi.topic.TopicNamingStrategy;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.TemporalAdjuster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;

/**
 * The change-event schemas a Debezium MySQL or MariaDB source would emit now, from the server's current table
 * definitions: each captured table's {@code SHOW CREATE TABLE} is parsed by Debezium's own DDL parser and turned into
 * key and envelope schemas by Debezium's own {@link TableSchemaBuilder}, configured from the connector's settings
 * (topic prefix, decimal, time and binary handling, column filters, schema name adjustment), as its task would.
 */
public final class SourceSchemas {
    /** One captured table: its id, the topic Debezium writes it to, and the schemas of its change events. */
    public record TableSchemas(TableId table, String topic, Schema key, Schema envelope) {}

    private final Map<String, String> config;
    private final boolean mariadb;

    public SourceSchemas(Map<String, String> config) {
        this.config = config;
        String connector = config.getOrDefault("connector.class", "");
        if (connector.equals("io.debezium.connector.mariadb.MariaDbConnector")) {
            mariadb = true;
        } else if (connector.equals("io.debezium.connector.mysql.MySqlConnector")) {
            mariadb = false;
        } else {
            throw new IllegalArgumentException("connector.class " + connector + " is not Debezium's MySqlConnector or MariaDbConnector");
        }
    }

    public boolean isMariaDb() {
        return mariadb;
    }

    /** Reads the captured tables' definitions from the server and derives their schemas, in table order. */
    public List<TableSchemas> read() throws SQLException {
        Configuration configuration = Configuration.from(config);
        BinlogConnectorConfig connectorConfig = mariadb ? new MariaDbConnectorConfig(configuration) : new MySqlConnectorConfig(configuration);
        TemporalAdjuster adjuster = connectorConfig.isTimeAdjustedEnabled()
                ? BinlogValueConverters::adjustTemporal : t -> t;
        ValueConverterProvider converters;
        DefaultValueConverter defaults;
        DdlParser parser;
        if (mariadb) {
            MariaDbValueConverters values = new MariaDbValueConverters(connectorConfig.getDecimalMode(),
                    connectorConfig.getTemporalPrecisionMode(), connectorConfig.getBigIntUnsignedHandlingMode().asBigIntUnsignedMode(),
                    connectorConfig.binaryHandlingMode(), adjuster, connectorConfig.getEventConvertingFailureHandlingMode(),
                    connectorConfig.getServiceRegistry());
            converters = values;
            defaults = new MariaDbDefaultValueConverter(values);
            parser = new MariaDbAntlrDdlParser();
        } else {
            MySqlValueConverters values = new MySqlValueConverters(connectorConfig.getDecimalMode(),
                    connectorConfig.getTemporalPrecisionMode(), connectorConfig.getBigIntUnsignedHandlingMode().asBigIntUnsignedMode(),
                    connectorConfig.binaryHandlingMode(), adjuster, connectorConfig.getEventConvertingFailureHandlingMode(),
                    connectorConfig.getServiceRegistry());
            converters = values;
            defaults = new MySqlDefaultValueConverter(values);
            parser = new MySqlAntlrDdlParser();
        }
        TableSchemaBuilder builder = new TableSchemaBuilder(converters, defaults, connectorConfig.schemaNameAdjuster(),
                new CustomConverterRegistry(List.of()), connectorConfig.getSourceInfoStructMaker().schema(),
                connectorConfig.getTransactionMetadataFactory().getTransactionStructMaker().getTransactionBlockSchema(),
                connectorConfig.getFieldNamer(), false, connectorConfig.getEventConvertingFailureHandlingMode());
        @SuppressWarnings("unchecked")
        TopicNamingStrategy<TableId> topics = connectorConfig.getTopicNamingStrategy(BinlogConnectorConfig.TOPIC_NAMING_STRATEGY);
        ColumnMappers mappers = ColumnMappers.create(connectorConfig);
        Tables.TableFilter captured = connectorConfig.getTableFilters().dataCollectionFilter();

        Tables tables = new Tables();
        List<TableId> ids = new ArrayList<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT table_schema, table_name FROM information_schema.tables"
                    + " WHERE table_type = 'BASE TABLE' AND table_schema NOT IN"
                    + " ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY table_schema, table_name")) {
                while (rs.next()) {
                    TableId id = new TableId(rs.getString(1), null, rs.getString(2));
                    if (captured.isIncluded(id)) {
                        ids.add(id);
                    }
                }
            }
            for (TableId id : ids) {
                try (ResultSet rs = statement.executeQuery("SHOW CREATE TABLE " + quote(id.catalog()) + "." + quote(id.table()))) {
                    rs.next();
                    parser.setCurrentDatabase(id.catalog());
                    parser.parse(rs.getString(2), tables);
                }
            }
        }
        List<TableSchemas> out = new ArrayList<>();
        for (TableId id : ids) {
            Table table = tables.forTable(id);
            if (table == null) {
                throw new IllegalStateException("Debezium's DDL parser did not understand the definition of " + id);
            }
            TableSchema schema = builder.create(topics, table, connectorConfig.getColumnFilter(), mappers, connectorConfig.getKeyMapper());
            out.add(new TableSchemas(id, topics.dataChangeTopic(id), schema.keySchema(), schema.getEnvelopeSchema().schema()));
        }
        return out;
    }

    private Connection connect() throws SQLException {
        required("database.hostname");
        required("database.user");
        return SourceJdbc.connect(config, 10_000);
    }

    private String required(String key) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the source config has no '" + key + "'");
        }
        return value.trim();
    }

    /** A MySQL identifier in backquotes (a backquote inside doubled): names from the server never reach SQL unquoted. */
    static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
