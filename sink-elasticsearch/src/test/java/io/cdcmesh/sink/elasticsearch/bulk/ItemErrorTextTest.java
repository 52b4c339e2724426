package io.cdcmesh.sink.elasticsearch.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ItemErrorTextTest {

    @Test
    void aMappingErrorKeepsTheFieldAndTypeButNotTheIdOrTheValue() {
        String text = ItemErrorText.of("document_parsing_exception", "[1:42] failed to parse field [price] of type [long] in"
                + " document with id 'ROW-SENTINEL-ID'. Preview of field's value: 'ROW-SENTINEL-VALUE'");
        assertThat(text).isEqualTo("document_parsing_exception: […] failed to parse field [price] of type [long] in document with id […]")
                .doesNotContain("SENTINEL");
    }

    @Test
    void aVersionConflictKeepsNeitherTheIdNorTheVersions() {
        String text = ItemErrorText.of("version_conflict_engine_exception",
                "[ROW-SENTINEL-ID]: version conflict, current version [12] is higher or equal to the one provided [11]");
        assertThat(text).isEqualTo("version_conflict_engine_exception: […]: version conflict, current version […] is higher or"
                + " equal to the one provided […]");
    }

    @Test
    void anIndexNameStaysSoTheOperatorKnowsWhere() {
        assertThat(ItemErrorText.of("index_closed_exception", "closed index [shop-orders]"))
                .isEqualTo("index_closed_exception: closed index [shop-orders]");
        assertThat(ItemErrorText.of("cluster_block_exception", null)).isEqualTo("cluster_block_exception");
    }
}
