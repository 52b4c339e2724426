package io.cdcmesh.sink.hive.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.connect.errors.DataException;
import org.junit.jupiter.api.Test;

class HiveNamesTest {
    @Test
    void reservedWordsAndMixedCaseAreQuotedNotRefused() {
        assertThat(HiveNames.quote(HiveNames.table("Order", "table"))).isEqualTo("`order`");
        assertThat(HiveNames.quote(HiveNames.column("Mixed Case"))).isEqualTo("`mixed case`");
        assertThat(HiveNames.quote(HiveNames.column("table"))).isEqualTo("`table`");
    }

    @Test
    void charactersHiveCannotHoldBecomeUnderscoresSoNothingEscapesTheQuotes() {
        assertThat(HiveNames.column("a`b")).isEqualTo("a_b");
        assertThat(HiveNames.column("x; DROP")).isEqualTo("x_ drop");
        assertThat(HiveNames.column("dot.ted")).isEqualTo("dot_ted");
        assertThat(HiveNames.column("quote\"d|pipe@at")).isEqualTo("quote_d_pipe_at");
        assertThat(HiveNames.column("\u00fcn\u00efcode $-")).isEqualTo("\u00fcn\u00efcode $-");
        assertThat(HiveNames.table("film-titles", "The audit table")).isEqualTo("film_titles");
        assertThat(HiveNames.table("types.Odd \"N\u00e4me\" $@", "The audit table")).isEqualTo("types_odd__n_me____");
        assertThat(HiveNames.table("x".repeat(200), "The audit table")).hasSize(128);
    }

    @Test
    void emptyNamesAreRefused() {
        assertThatThrownBy(() -> HiveNames.column("   ")).isInstanceOf(DataException.class).hasMessageContaining("'   '");
        assertThatThrownBy(() -> HiveNames.table("", "The audit table")).isInstanceOf(DataException.class)
                .hasMessageContaining("table.name.pattern");
    }
}
