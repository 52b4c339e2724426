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
    void theZeroTimestampThatTheBinlogReadsAsTheEpochIsNullInANullableColumn() {
        Schema row = SchemaBuilder.struct().name("studio.film.titles.Value")
                .field("id", Schema.INT32_SCHEMA)
                .field("seen", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").optional().build())
                .field("made", SchemaBuilder.string().name("io.debezium.time.ZonedTimestamp").build()).build();
        RowShape shape = RowShape.of(row, false);
        assertThat(shape).as("a row with a nullable TIMESTAMP column is rebuilt").isNotNull();
        for (String epoch : new String[] {"1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000000Z"}) {
            Struct out = shape.apply(new Struct(row).put("id", 1).put("seen", epoch).put("made", epoch));
            assertThat(out.get("seen")).as(epoch).isNull();
            assertThat(out.get("made")).as("a NOT NULL column keeps what Debezium gave").isEqualTo(epoch);
        }
        for (String instant : new String[] {"1970-01-01T00:00:01Z", "1970-01-01T00:00:00.000001Z", "2038-01-19T03:14:07Z"}) {
            assertThat(shape.apply(new Struct(row).put("id", 1).put("seen", instant).put("made", instant)).get("seen"))
                    .isEqualTo(instant);
        }
    }

    @Test
    void aRowWithoutYearOrTemporalColumnsAndAValidNamePassesUnchanged() {
        Schema plain = SchemaBuilder.struct().name("studio.film.titles.Value").field("id", Schema.INT32_SCHEMA).build();
        assertThat(RowShape.of(plain, true)).isNull();
    }
}
