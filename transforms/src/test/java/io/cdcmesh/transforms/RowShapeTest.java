package io.cdcmesh.transforms;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.junit.jupiter.api.Test;

class RowShapeTest {
    private static final Schema ROW = SchemaBuilder.struct().name("studio.film.titles.Value")
            .field("id", Schema.INT32_SCHEMA)
            .field("released", SchemaBuilder.int32().name("io.debezium.time.Year").optional().build()).build();

    @Test
    void yearZeroThatTheBinlogReadsAs1900IsMendedAndEveryOtherYearKept() {
        RowShape shape = RowShape.of(ROW, false);
        assertThat(shape).as("a row with a YEAR column is rebuilt").isNotNull();
        assertThat(shape.schema().field("released").schema()).isEqualTo(ROW.field("released").schema());
        assertThat(shape.apply(new Struct(ROW).put("id", 1).put("released", 1900)).get("released")).isEqualTo(0);
        for (int year : new int[] {0, 1901, 2000, 2155}) {
            assertThat(shape.apply(new Struct(ROW).put("id", 1).put("released", year)).get("released")).isEqualTo(year);
        }
        assertThat(shape.apply(new Struct(ROW).put("id", 1).put("released", null)).get("released")).isNull();
    }

    @Test
    void aRowWithoutYearOrTemporalColumnsAndAValidNamePassesUnchanged() {
        Schema plain = SchemaBuilder.struct().name("studio.film.titles.Value").field("id", Schema.INT32_SCHEMA).build();
        assertThat(RowShape.of(plain, true)).isNull();
    }
}
