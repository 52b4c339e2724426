package io.cdcmesh.sink.elasticsearch.lookup;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.junit.jupiter.api.Test;

/** Key values as Debezium gives them, bound as the JDBC types of their columns and compared as MySQL reads them back. */
class LookupKeysTest {
    private static Schema named(Schema base, String name) {
        return new SchemaBuilder(base.type()).name(name).build();
    }

    @Test
    void temporalKeysAreBoundAsTheirColumnsValues() {
        assertThat(LookupKeys.bind(named(Schema.INT32_SCHEMA, "io.debezium.time.Date"), -354_285).parameter())
                .isEqualTo(LocalDate.of(1000, 1, 1));
        assertThat(LookupKeys.bind(named(Schema.INT64_SCHEMA, "io.debezium.time.MicroTimestamp"), 253_402_300_799_999_999L).parameter())
                .isEqualTo(LocalDateTime.of(9999, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(LookupKeys.bind(named(Schema.INT64_SCHEMA, "io.debezium.time.Timestamp"), -1L).parameter())
                .isEqualTo(LocalDateTime.of(1969, 12, 31, 23, 59, 59, 999_000_000));
        assertThat(LookupKeys.bind(named(Schema.STRING_SCHEMA, "io.debezium.time.ZonedTimestamp"), "2038-01-19T03:14:07.999999Z")
                .parameter()).isEqualTo(LocalDateTime.of(2038, 1, 19, 3, 14, 7, 999_999_000));
        assertThat(LookupKeys.bind(named(Schema.INT64_SCHEMA, "io.debezium.time.MicroTime"), -(838L * 3_600 + 59 * 60 + 59) * 1_000_000L)
                .parameter()).isEqualTo("-838:59:59");
    }

    @Test
    void bytesDecimalsAndUnsignedKeysCompareAsMySqlReadsThemBack() {
        LookupKeys.Bound bytes = LookupKeys.bind(Schema.BYTES_SCHEMA, ByteBuffer.wrap(new byte[] {0, (byte) 0xFF}));
        assertThat(bytes.parameter()).isEqualTo(new byte[] {0, (byte) 0xFF});
        assertThat(LookupKeys.canonical(bytes)).isEqualTo(LookupKeys.canonical(new byte[] {0, (byte) 0xFF}, LookupKeys.Kind.BYTES));

        LookupKeys.Bound decimal = LookupKeys.bind(Decimal.schema(4), new BigDecimal("0.5000"));
        assertThat(LookupKeys.canonical(decimal)).isEqualTo(LookupKeys.canonical(new BigDecimal("0.5"), LookupKeys.Kind.DECIMAL));
        LookupKeys.Bound unsigned = LookupKeys.bind(Decimal.schema(0), new BigDecimal("18446744073709551615"));
        assertThat(LookupKeys.canonical(unsigned)).isEqualTo("18446744073709551615");
        assertThat(LookupKeys.bind(null, new BigInteger("18446744073709551615")).kind()).isEqualTo(LookupKeys.Kind.DECIMAL);

        LookupKeys.Bound bits = LookupKeys.bind(named(Schema.BYTES_SCHEMA, "io.debezium.data.Bits"), new byte[] {1, 2});
        assertThat(bits.parameter()).as("most significant byte first, as MySQL compares BIT").isEqualTo(new byte[] {2, 1});
    }

    @Test
    void timeKeysMatchMySqlsTextWhateverTheFractionsTrailingZeros() {
        LookupKeys.Bound half = LookupKeys.bind(named(Schema.INT64_SCHEMA, "io.debezium.time.MicroTime"), 500_000L);
        assertThat(LookupKeys.canonical(half)).isEqualTo(LookupKeys.canonical("00:00:00.500000", LookupKeys.Kind.TIME));
        LookupKeys.Bound whole = LookupKeys.bind(named(Schema.INT64_SCHEMA, "io.debezium.time.MicroTime"), 36_000_000_000L);
        assertThat(LookupKeys.canonical(whole)).isEqualTo("10:00:00")
                .isEqualTo(LookupKeys.canonical("10:00:00.000000", LookupKeys.Kind.TIME))
                .isEqualTo(LookupKeys.canonical("10:00:00", LookupKeys.Kind.TIME));
    }
}
