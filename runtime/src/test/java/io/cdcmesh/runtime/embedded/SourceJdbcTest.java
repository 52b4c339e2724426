package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** cdc-mesh's own connections to a source database take the TLS settings the user gave Debezium. */
class SourceJdbcTest {
    @Test
    void whereTlsIsAskedForTheDriverRequiresItAndNeverFetchesTheKeyInClear() {
        Properties p = SourceJdbc.properties(Map.of("database.user", "cdc", "database.password", "pw",
                "database.ssl.mode", "verify_identity", "database.ssl.truststore", "/etc/cdc/trust.p12",
                "database.ssl.truststore.password", "tpw", "database.ssl.truststore.type", "PKCS12"), 3000);
        assertThat(p.getProperty("sslMode")).isEqualTo("VERIFY_IDENTITY");
        assertThat(p).doesNotContainKey("allowPublicKeyRetrieval");
        assertThat(p.getProperty("trustCertificateKeyStoreUrl")).isEqualTo("file:///etc/cdc/trust.p12");
        assertThat(p.getProperty("trustCertificateKeyStorePassword")).isEqualTo("tpw");
        assertThat(p.getProperty("trustCertificateKeyStoreType")).isEqualTo("PKCS12");
        assertThat(SourceJdbc.properties(Map.of("database.ssl.mode", "required"), 3000)).doesNotContainKey("allowPublicKeyRetrieval")
                .containsEntry("sslMode", "REQUIRED");
    }

    @Test
    void debeziumsDefaultPrefersTlsAndAnExplicitDisabledIsHonoured() {
        assertThat(SourceJdbc.properties(Map.of(), 3000)).containsEntry("sslMode", "PREFERRED")
                .containsEntry("allowPublicKeyRetrieval", "true");
        assertThat(SourceJdbc.properties(Map.of("database.ssl.mode", "disabled"), 3000)).containsEntry("sslMode", "DISABLED");
    }
}
