package io.cdcmesh.sink.hive.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class HiveTypesTest {
    @Test
    void debeziumSemanticTypesGetTheirHiveTypeAndTextForm() {
        Schema date = SchemaBuilder.int32().name("io.debezium.time.Date").build();
        assertThat(HiveTypes.of(date)).isEqualTo("DATE");
        assertThat(HiveTypes.text(date, 20_271)).isEqualTo("2025-07-02");
        Schema micros = SchemaBuilder.int64().name("io.debezium.time.MicroTimestamp").build();
        assertThat(HiveTypes.of(micros)).isEqualTo("TIMESTAMP");
        assertThat(HiveTypes.text(micros, 1_751_414_400_123_456L)).isEqualTo("2025-07-02 00:00:00.123456");
        Schema zoned = SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build();
        assertThat(HiveTypes.of(zoned)).isEqualTo("STRING");
        Schema time = SchemaBuilder.int64().name("io.debezium.time.MicroTime").build();
        assertThat(HiveTypes.text(time, 3_723_000_001L)).isEqualTo("01:02:03.000001");
    }

    @Test
    void timeIsADurationOfUpTo838HoursEitherSign() {
        Schema time = SchemaBuilder.int64().name("io.debezium.time.MicroTime").build();
        long max = (838L * 3_600 + 59 * 60 + 59) * 1_000_000L;
        assertThat(HiveTypes.text(time, max)).isEqualTo("838:59:59");
        assertThat(HiveTypes.text(time, -max - 999_999)).isEqualTo("-838:59:59.999999");
        assertThat(HiveTypes.text(SchemaBuilder.int32().name("io.debezium.time.Time").build(), -1)).isEqualTo("-00:00:00.001");
    }

    @Test
    void aDecimalWithMoreDigitsThanItsHiveColumnIsRefusedNamingTheColumn() {
        Schema money = Decimal.builder(2).parameter("connect.decimal.precision", "5").optional().build();
        Schema row = SchemaBuilder.struct().name("db.t.Value").field("id", Schema.INT32_SCHEMA).field("amount", money).build();
        Schema event = SchemaBuilder.struct().field("uuid", Schema.STRING_SCHEMA).field("type", Schema.STRING_SCHEMA)
                .field("ts", Schema.INT64_SCHEMA).field("entity", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
                .field("position", Schema.INT64_SCHEMA).field("before", SchemaBuilder.struct().name("db.t.Value").optional()
                        .field("id", Schema.INT32_SCHEMA).field("amount", money).build()).field("after", row).build();
        java.util.function.Function<String, org.apache.kafka.connect.sink.SinkRecord> record = amount -> new org.apache.kafka.connect.sink.SinkRecord(
                "t", 0, null, null, event, new Struct(event).put("uuid", "u").put("type", "CREATE").put("ts", 1L)
                        .put("entity", "db.t").put("id", "1").put("position", 1L)
                        .put("after", new Struct(row).put("id", 1).put("amount", new BigDecimal(amount))), 0);
        assertThat(AuditEvent.of(record.apply("999.99"))).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AuditEvent.of(record.apply("1000.00")))
                .isInstanceOf(org.apache.kafka.connect.errors.DataException.class)
                .hasMessageContaining("'amount'").hasMessageContaining("DECIMAL(5,2)").hasMessageNotContaining("1000");
    }

    @Test
    void decimalsKeepEveryDigitAndTooWideOnesBecomeStrings() {
        Schema money = Decimal.builder(2).parameter("connect.decimal.precision", "15").build();
        assertThat(HiveTypes.of(money)).isEqualTo("DECIMAL(15,2)");
        assertThat(HiveTypes.text(money, new BigDecimal("12345678901.25"))).isEqualTo("12345678901.25");
        Schema wide = Decimal.builder(4).parameter("connect.decimal.precision", "65").build();
        assertThat(HiveTypes.of(wide)).isEqualTo("STRING");
        assertThat(HiveTypes.text(wide, new BigDecimal("1E+40"))).isEqualTo("10000000000000000000000000000000000000000");
    }

    @Test
    void bytesAreBase64AndStructsAndArraysAreJson() {
        assertThat(HiveTypes.of(Schema.BYTES_SCHEMA)).isEqualTo("BINARY");
        assertThat(HiveTypes.text(Schema.BYTES_SCHEMA, new byte[] {1, 2, 3})).isEqualTo("AQID");
        Schema point = SchemaBuilder.struct().name("io.debezium.data.geometry.Point")
                .field("x", Schema.FLOAT64_SCHEMA).field("y", Schema.FLOAT64_SCHEMA).build();
        assertThat(HiveTypes.of(point)).isEqualTo("STRING");
        assertThat(HiveTypes.text(point, new Struct(point).put("x", 1.5).put("y", -2.0))).isEqualTo("{\"x\":1.5,\"y\":-2.0}");
        Schema tags = SchemaBuilder.array(Schema.STRING_SCHEMA).build();
        assertThat(HiveTypes.text(tags, List.of("a", "b"))).isEqualTo("[\"a\",\"b\"]");
        assertThat(HiveTypes.of(null)).isEqualTo("STRING");
    }

    @Test
    void timestampAndDateTextMatchJavaTimeAcrossEraYearsAndFractions() {
        java.time.format.DateTimeFormatter reference = new java.time.format.DateTimeFormatterBuilder()
                .appendPattern("uuuu-MM-dd HH:mm:ss").optionalStart()
                .appendFraction(java.time.temporal.ChronoField.NANO_OF_SECOND, 0, 9, true).toFormatter();
        java.util.Random random = new java.util.Random(7);
        long[] seconds = {0L, -1L, 86_399L, 86_400L, -86_401L, -30_610_224_000L /* 1000-01-01 */, 253_402_300_799L /* 9999-12-31 */};
        int[] nanos = {0, 1, 10, 100_000, 123_456_000, 999_999_999, 500_000_000};
        for (int i = 0; i < 20_000; i++) {
            long second = i < seconds.length * nanos.length ? seconds[i % seconds.length]
                    : random.nextLong(-30_610_224_000L, 253_402_300_800L);
            int nano = i < seconds.length * nanos.length ? nanos[i / seconds.length] : random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000);
            java.time.LocalDateTime expected = java.time.LocalDateTime.ofEpochSecond(second, nano, java.time.ZoneOffset.UTC);
            assertThat(HiveTypes.appendTimestamp(new StringBuilder(), second, nano).toString())
                    .as("%d s + %d ns", second, nano).isEqualTo(reference.format(expected));
            assertThat(HiveTypes.appendDate(new StringBuilder(), expected.toLocalDate().toEpochDay()).toString())
                    .isEqualTo(expected.toLocalDate().toString());
        }
        Schema nanoTs = SchemaBuilder.int64().name("io.debezium.time.NanoTimestamp").build();
        assertThat(HiveTypes.text(nanoTs, -1L)).isEqualTo("1969-12-31 23:59:59.999999999");
        Schema connectTs = org.apache.kafka.connect.data.Timestamp.SCHEMA;
        assertThat(HiveTypes.text(connectTs, new java.util.Date(-1L))).isEqualTo("1969-12-31 23:59:59.999");
        assertThat(HiveTypes.text(org.apache.kafka.connect.data.Date.SCHEMA, new java.util.Date(-86_400_000L))).isEqualTo("1969-12-31");
    }
}
