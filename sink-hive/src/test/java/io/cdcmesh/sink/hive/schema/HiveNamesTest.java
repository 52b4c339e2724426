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
    void namesThatCouldEscapeTheQuotesAreRefusedNamingThem() {
        assertThatThrownBy(() -> HiveNames.column("a`b")).isInstanceOf(DataException.class).hasMessageContaining("'a`b'");
        assertThatThrownBy(() -> HiveNames.column("x; DROP")).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> HiveNames.column("a.b")).isInstanceOf(DataException.class);
        assertThatThrownBy(() -> HiveNames.table("film-titles", "The audit table")).isInstanceOf(DataException.class)
                .hasMessageContaining("'film-titles'").hasMessageContaining("table.name.pattern");
        assertThatThrownBy(() -> HiveNames.table("a'b", "The audit table")).isInstanceOf(DataException.class);
    }
}
