package io.cdcmesh.testkit;

import io.cdcmesh.servers.MariaDbServer;
import io.cdcmesh.servers.MySqlServer;
import io.cdcmesh.servers.SqlServer;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({MySqlExtension.class, MariaDbExtension.class})
class SqlServersIT {

    @Test
    void mysqlIsVersion8WithRowBinlogOnLoopback(MySqlServer mysql) throws SQLException {
        Map<String, String> vars = variables(mysql);
        assertThat(vars.get("version")).startsWith("8.0.");
        assertBinlogReady(vars);
        assertThat(vars.get("bind_address")).isEqualTo("127.0.0.1");
        assertCdcUserCanReadBinlogStatus(mysql);
    }

    @Test
    void mariadbHasRowBinlogOnLoopback(MariaDbServer mariadb) throws SQLException {
        Map<String, String> vars = variables(mariadb);
        assertThat(vars.get("version")).contains("MariaDB");
        assertBinlogReady(vars);
        assertThat(vars.get("bind_address")).isEqualTo("127.0.0.1");
        assertCdcUserCanReadBinlogStatus(mariadb);
    }

    @Test
    void sameServerIsSharedAcrossTests(MySqlServer first, MySqlServer second) {
        assertThat(first).isSameAs(second);
    }

    private static void assertBinlogReady(Map<String, String> vars) {
        assertThat(vars.get("log_bin")).isEqualTo("ON");
        assertThat(vars.get("binlog_format")).isEqualTo("ROW");
        assertThat(vars.get("binlog_row_image")).isEqualTo("FULL");
        assertThat(vars.get("character_set_server")).isEqualTo("utf8mb4");
        assertThat(Long.parseLong(vars.get("server_id"))).isPositive();
    }

    private static void assertCdcUserCanReadBinlogStatus(SqlServer server) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(server.jdbcUrl(""), SqlServer.CDC_USER, SqlServer.CDC_PASSWORD);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW BINARY LOGS")) {
            assertThat(rs.next()).as("the cdc user sees binary logs").isTrue();
        }
    }

    private static Map<String, String> variables(SqlServer server) throws SQLException {
        Map<String, String> vars = new HashMap<>();
        try (Connection c = server.connect(""); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW GLOBAL VARIABLES")) {
            while (rs.next()) {
                vars.put(rs.getString(1), rs.getString(2));
            }
        }
        return vars;
    }
}
