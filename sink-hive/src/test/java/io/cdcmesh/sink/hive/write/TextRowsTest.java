package io.cdcmesh.sink.hive.write;

import static org.assertj.core.api.Assertions.assertThat;

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
}
