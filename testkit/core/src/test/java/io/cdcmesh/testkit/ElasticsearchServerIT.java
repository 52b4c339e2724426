package io.cdcmesh.testkit;

import io.cdcmesh.servers.ElasticsearchServer;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ElasticsearchExtension.class)
class ElasticsearchServerIT {

    @Test
    void realNodeIndexesWithExternalVersionsAndRefusesStaleWrites(ElasticsearchServer es) {
        assertThat(es.url()).startsWith("http://127.0.0.1:");
        es.request("PUT", "/kit-versions/_doc/7?version=10&version_type=external&refresh=true", "{\"launch\":\"2027-07-01\"}");
        assertThat(es.status("/kit-versions/_doc/7")).isEqualTo(200);
        assertThat(es.request("GET", "/kit-versions/_doc/7", null)).contains("\"_version\":10").contains("2027-07-01");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> es.request("PUT",
                        "/kit-versions/_doc/7?version=9&version_type=external", "{\"launch\":\"2027-06-01\"}"))
                .hasMessageContaining("409").hasMessageContaining("version_conflict_engine_exception");
    }

    @Test
    void stoppedNodeComesBackOnTheSamePortWithItsData(ElasticsearchServer es) {
        es.request("PUT", "/kit-restart/_doc/1?refresh=true", "{\"title\":\"Orbit\"}");
        es.stop();
        assertThat(es.isRunning()).isFalse();
        assertThat(es.status("/_cluster/health")).isEqualTo(-1);
        es.start();
        assertThat(es.request("GET", "/kit-restart/_doc/1", null)).contains("Orbit");
    }
}
