package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcmesh.sink.hive.schema.HiveTypes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextRowsTest {
    @Test
    void anyStringRoundTripsAndNullIsBackslashN() {
        List<String> values = Arrays.asList("plain", null, "\\N", "a\u0001b", "line\nbreak\r\n", "back\\slash\\", "", "emoji \uD83C\uDFAC");
        TextRows rows = new TextRows();
        rows.append(values);
        String text = new String(rows.bytes(), StandardCharsets.UTF_8);
        assertThat(text).endsWith("\n").doesNotContain("line\n");
        assertThat(text.chars().filter(c -> c == '\n').count()).isEqualTo(1);
        assertThat(TextRows.parse(text.substring(0, text.length() - 1))).isEqualTo(values);
    }

    @Test
    void nullIsWrittenAsTheSerDesNullFormat() {
        TextRows rows = new TextRows();
        rows.append(Arrays.asList("a", null));
        assertThat(new String(rows.bytes(), StandardCharsets.UTF_8)).isEqualTo("a\u0001\\N\n");
    }

    @Test
    void valuesRenderedStraightIntoTheRowReadAsTheirTextForm() {
        Object[][] cases = {
            {HiveTypes.Kind.OTHER, "tab\u0001and\nnewline"}, {HiveTypes.Kind.OTHER, 42}, {HiveTypes.Kind.OTHER, -7L},
            {HiveTypes.Kind.OTHER, (short) 3}, {HiveTypes.Kind.OTHER, (byte) -1}, {HiveTypes.Kind.OTHER, 0.1 + 0.2},
            {HiveTypes.Kind.OTHER, 1.1f}, {HiveTypes.Kind.OTHER, true}, {HiveTypes.Kind.OTHER, new byte[] {0, 1, (byte) 0xff}},
            {HiveTypes.Kind.OTHER, null}, {HiveTypes.Kind.DECIMAL, new java.math.BigDecimal("1E+3")},
            {HiveTypes.Kind.DEBEZIUM_DATE, -719_162}, {HiveTypes.Kind.CONNECT_DATE, new java.util.Date(0)},
            {HiveTypes.Kind.MILLI_TIMESTAMP, -1L}, {HiveTypes.Kind.MICRO_TIMESTAMP, 1_751_414_400_123_456L},
            {HiveTypes.Kind.NANO_TIMESTAMP, 1L}, {HiveTypes.Kind.CONNECT_TIMESTAMP, new java.util.Date(1_000L)},
            {HiveTypes.Kind.MICRO_TIME, 3_723_000_001L},
        };
        TextRows straight = new TextRows();
        List<String> texts = new java.util.ArrayList<>();
        for (Object[] c : cases) {
            straight.value((HiveTypes.Kind) c[0], c[1]);
            texts.add(HiveTypes.text((HiveTypes.Kind) c[0], c[1]));
        }
        straight.endRow();
        TextRows viaText = new TextRows();
        viaText.append(texts);
        assertThat(new String(straight.bytes(), StandardCharsets.UTF_8)).isEqualTo(new String(viaText.bytes(), StandardCharsets.UTF_8));
        String line = new String(straight.bytes(), StandardCharsets.UTF_8);
        assertThat(TextRows.parse(line.substring(0, line.length() - 1))).isEqualTo(texts);
    }

    @Test
    void streamedRowsAreTheUtf8OfTheRowsWhateverTheirSize() {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        TextRows streamed = new TextRows(out);
        StringBuilder expected = new StringBuilder();
        String[] samples = {"ascii", "caf\u00e9 \u00fcber", "\u20ac \u4e2d\u6587", "\uD83C\uDFAC clapper", "lone \uD83C high", "lone \uDFAC low", ""};
        for (int row = 0; row < 20_000; row++) {
            String value = samples[row % samples.length] + row;
            streamed.field(value);
            streamed.value(HiveTypes.Kind.OTHER, (long) row);
            streamed.endRow();
            expected.append(value).append('\u0001').append(row).append('\n');
        }
        streamed.finish();
        assertThat(out.toByteArray()).isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
    }
}
