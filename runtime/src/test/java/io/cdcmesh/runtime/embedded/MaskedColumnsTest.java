package io.cdcmesh.runtime.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MaskedColumnsTest {
    @Test
    void aSourceThatMasksColumnsCannotFeedALookupSink() {
        Map<String, String> masking = Map.of("column.mask.with.12.chars", "studio.people.ssn", "topic.prefix", "studio");
        Map<String, String> hashing = Map.of("column.mask.hash.SHA-256.with.salt.x", "studio.people.email");
        Map<String, String> truncating = Map.of("column.truncate.to.4.chars", "studio.people.card");
        Map<String, String> excluding = Map.of("column.exclude.list", "studio.people.ssn");
        assertThat(MaskedColumns.maskingKey(masking)).contains("column.mask.with.12.chars");
        assertThat(MaskedColumns.maskingKey(hashing)).contains("column.mask.hash.SHA-256.with.salt.x");
        assertThat(MaskedColumns.maskingKey(truncating)).contains("column.truncate.to.4.chars");
        assertThat(MaskedColumns.maskingKey(excluding)).as("lookup reads only the captured columns").isEmpty();

        String sink = "io.cdcmesh.sink.elasticsearch.ElasticsearchSinkConnector";
        assertThat(MaskedColumns.looksUp(Map.of("connector.class", sink, "document.source", "lookup"))).isTrue();
        assertThat(MaskedColumns.looksUp(Map.of("connector.class", sink))).isFalse();
        assertThat(MaskedColumns.problem("mysql-source", "column.mask.with.12.chars", "search"))
                .contains("'mysql-source'").contains("'search'").contains("document.source=event");
    }
}
