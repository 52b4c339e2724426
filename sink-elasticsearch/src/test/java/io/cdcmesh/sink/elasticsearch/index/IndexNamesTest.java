package io.cdcmesh.sink.elasticsearch.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class IndexNamesTest {
    @Test
    void patternPlaceholdersAreFilledFromEntityAndTopic() {
        assertThat(new IndexNames("${db}.${table}", Map.of()).indexFor("studio.film.titles", "film.titles")).isEqualTo("film.titles");
        assertThat(new IndexNames("cdc-${table}", Map.of()).indexFor("t", "film.titles")).isEqualTo("cdc-titles");
        assertThat(new IndexNames("${topic}", Map.of()).indexFor("studio.film.titles", "film.titles")).isEqualTo("studio.film.titles");
        assertThat(new IndexNames("all-${db}", Map.of()).indexFor("t", "film.credits")).isEqualTo("all-film");
    }

    @Test
    void anEntityWithoutADotIsATableAsTheAuditReadsIt() {
        assertThat(new IndexNames("${db}.${table}", Map.of()).indexFor("t", "titles")).isEqualTo("titles");
        assertThat(new IndexNames("cdc-${table}", Map.of()).indexFor("t", "titles")).isEqualTo("cdc-titles");
    }

    @Test
    void explicitTopicMapWins() {
        IndexNames names = new IndexNames("${db}.${table}", Map.of("studio.film.titles", "Titles-Live"));
        assertThat(names.indexFor("studio.film.titles", "film.titles")).isEqualTo("titles-live");
        assertThat(names.indexFor("studio.film.credits", "film.credits")).isEqualTo("film.credits");
    }

    @Test
    void namesAreMadeAcceptableToElasticsearch() {
        assertThat(IndexNames.sanitize("Film.Titles")).isEqualTo("film.titles");
        assertThat(IndexNames.sanitize("_-+odd name*?\"<>|,#:/\\x")).isEqualTo("odd_name___________x");
        assertThat(IndexNames.sanitize("x".repeat(300))).hasSize(255);
        assertThatThrownBy(() -> IndexNames.sanitize("..")).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> IndexNames.sanitize("___")).isInstanceOf(DataException.class);
    }
}
