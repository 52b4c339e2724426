package io.cdcmesh.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TransactionRankTest {

    @Test
    void aMysqlSetCountsItsTransactionsAcrossServersIntervalsAndTags() {
        assertThat(TransactionRank.of("")).isZero();
        assertThat(TransactionRank.of("3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5")).isEqualTo(5);
        assertThat(TransactionRank.of("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11-18,\n"
                + "2174b383-5441-11e8-b90a-c80aa9429562:1-3")).isEqualTo(16);
        assertThat(TransactionRank.of("3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:audit:1-2:7")).isEqualTo(8);
    }

    @Test
    void aMariadbSetAddsTheSequenceOfEachDomain() {
        assertThat(TransactionRank.of("0-1-100")).isEqualTo(100);
        assertThat(TransactionRank.of("0-1-100,1-2-7")).isEqualTo(107);
    }

    @Test
    void aSetItCannotReadStopsWithTheSetNamed() {
        assertThatThrownBy(() -> TransactionRank.of("uuid:5-3")).isInstanceOf(UnorderableChangeException.class)
                .hasMessageContaining("'uuid:5-3'");
        assertThatThrownBy(() -> TransactionRank.of("0-1")).isInstanceOf(UnorderableChangeException.class);
        assertThatThrownBy(() -> TransactionRank.of("0-1-x")).isInstanceOf(UnorderableChangeException.class);
    }
}
