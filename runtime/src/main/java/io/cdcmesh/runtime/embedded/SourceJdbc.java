package io.cdcmesh.runtime.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * A JDBC connection of cdc-mesh's own (the progress display's row estimates, {@code schemas check}) to the database a
 * Debezium source reads, with the TLS the user set for that source: {@code database.ssl.mode} and its trust and key
 * stores, as Debezium reads them. The server's public key is fetched over a plain connection only where the user
 * did not ask for TLS, so a password never crosses in a form a man in the middle can take where TLS was asked for.
 */
public final class SourceJdbc {
    private SourceJdbc() {}

    public static Connection connect(Map<String, String> source, int timeoutMs) throws SQLException {
        String host = source.get("database.hostname");
        if (host == null || host.isBlank()) {
            throw new SQLException("database.hostname is not set");
        }
        String url = "jdbc:mysql://" + host.trim() + ":" + source.getOrDefault("database.port", "3306").trim() + "/";
        return DriverManager.getConnection(url, properties(source, timeoutMs));
    }

    /** The driver's settings for {@code source}'s database (package-private for tests: no secret is logged from here). */
    static Properties properties(Map<String, String> source, int timeoutMs) {
        Properties properties = new Properties();
        properties.setProperty("user", source.getOrDefault("database.user", ""));
        properties.setProperty("password", source.getOrDefault("database.password", ""));
        properties.setProperty("connectTimeout", Integer.toString(timeoutMs));
        String mode = sslMode(source.getOrDefault("database.ssl.mode", "preferred"));
        properties.setProperty("sslMode", mode);
        if (mode.equals("DISABLED") || mode.equals("PREFERRED")) {
            // Without TLS, caching_sha2_password needs the server's key; where TLS was asked for, it is not needed.
            properties.setProperty("allowPublicKeyRetrieval", "true");
        }
        store(source, "database.ssl.truststore", "trustCertificateKeyStore", properties);
        store(source, "database.ssl.keystore", "clientCertificateKeyStore", properties);
        return properties;
    }

    /** Debezium's {@code database.ssl.mode} as the MySQL driver's sslMode. */
    static String sslMode(String mode) {
        return switch (mode.trim().toLowerCase(Locale.ROOT)) {
            case "disabled", "disable" -> "DISABLED";
            case "required", "require" -> "REQUIRED";
            case "verify_ca", "verify-ca" -> "VERIFY_CA";
            case "verify_identity", "verify-full" -> "VERIFY_IDENTITY";
            default -> "PREFERRED";
        };
    }

    private static void store(Map<String, String> source, String key, String driverKey, Properties properties) {
        String location = source.get(key);
        if (location == null || location.isBlank()) {
            return;
        }
        properties.setProperty(driverKey + "Url", Path.of(location.trim()).toUri().toString());
        String password = source.get(key + ".password");
        if (password != null) {
            properties.setProperty(driverKey + "Password", password);
        }
        String type = source.get(key + ".type");
        if (type != null && !type.isBlank()) {
            properties.setProperty(driverKey + "Type", type.trim());
        }
    }
}
