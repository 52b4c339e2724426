package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdcmesh.servers.MySqlServer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * cdc-mesh's own connections to a source (the progress display, {@code schemas check}) against a MySQL 8 that accepts
 * only TLS: they connect over TLS with the source's own settings, and where the user turned TLS off the server
 * refuses them; nothing is silently sent in clear.
 */
class SourceJdbcTlsIT {
    private static MySqlServer mysql;

    @BeforeAll
    static void start() {
        mysql = MySqlServer.launch(MySqlServer.Options.tlsOnly());
    }

    @AfterAll
    static void stop() {
        mysql.close();
    }

    private static Map<String, String> source(String sslMode) {
        Map<String, String> source = new HashMap<>(mysql.debeziumConnection());
        if (sslMode != null) {
            source.put("database.ssl.mode", sslMode);
        }
        return source;
    }

    @Test
    void theSourcesDefaultAndRequiredModesConnectOverTls() throws SQLException {
        for (String mode : new String[] {null, "required"}) {
            try (Connection connection = SourceJdbc.connect(source(mode), 10_000);
                    Statement statement = connection.createStatement();
                    ResultSet cipher = statement.executeQuery("SHOW SESSION STATUS LIKE 'Ssl_cipher'")) {
                assertThat(cipher.next()).isTrue();
                assertThat(cipher.getString(2)).as("mode %s runs over TLS", mode).isNotBlank();
            }
        }
    }

    @Test
    void withTlsTurnedOffTheServerRefusesTheConnection() {
        assertThatThrownBy(() -> SourceJdbc.connect(source("disabled"), 10_000).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("insecure transport are prohibited");
    }
}
