package io.cdcmesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final ConfigDef DEF = new ConfigDef()
            .define("connection.url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "url")
            .define("connection.password", ConfigDef.Type.PASSWORD, ConfigDef.Importance.HIGH, "password");

    @Test
    void passwordsAndUndeclaredKeysAreHidden() {
        assertThat(Redaction.shown(DEF, "connection.password", "s3cret!")).isEqualTo("[hidden]");
        assertThat(Redaction.shown(DEF, "target.producer.sasl.jaas.config", "... password=\"s3cret!\";")).isEqualTo("[hidden]");
        assertThat(Redaction.shown(DEF, "connection.url", "http://es:9200")).isEqualTo("http://es:9200");
    }

    @Test
    void urlsLoseTheirUserInfoAndSecretParameters() {
        assertThat(Redaction.text("https://elastic:s3cret!@es.example:9200")).isEqualTo("https://[hidden]@es.example:9200");
        assertThat(Redaction.text("jdbc:hive2://h:10000/db;user=etl;password=s3cret!;ssl=true"))
                .isEqualTo("jdbc:hive2://h:10000/db;user=etl;password=[hidden];ssl=true");
        assertThat(Redaction.text("http://h/x?api_key=abc&x=1")).isEqualTo("http://h/x?api_key=[hidden]&x=1");
        assertThat(Redaction.text("trustStorePassword=changeit")).isEqualTo("trustStorePassword=[hidden]");
    }
}
