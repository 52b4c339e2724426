package io.cdcmesh.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalTime;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeTextTest {
    private static final long MAX_MICROS = (838L * 3_600 + 59 * 60 + 59) * 1_000_000L;

    @Test
    void writesTheWholeMysqlTimeRange() {
        assertThat(TimeText.ofMicros(MAX_MICROS)).isEqualTo("838:59:59");
        assertThat(TimeText.ofMicros(-MAX_MICROS)).isEqualTo("-838:59:59");
        assertThat(TimeText.ofMicros(MAX_MICROS + 999_999)).isEqualTo("838:59:59.999999");
        assertThat(TimeText.ofMicros(-(MAX_MICROS + 1))).isEqualTo("-838:59:59.000001");
        assertThat(TimeText.ofMillis(-1)).isEqualTo("-00:00:00.001");
        assertThat(TimeText.ofNanos(24L * 3_600 * 1_000_000_000L)).isEqualTo("24:00:00");
        assertThat(TimeText.ofMicros(0)).isEqualTo("00:00:00");
        assertThat(TimeText.ofMicros(500_000)).isEqualTo("00:00:00.5");
    }

    @Test
    void agreesWithLocalTimeWithinOneDay() {
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long nanos = Math.floorMod(random.nextLong(), 86_400_000_000_000L);
            if (i % 3 == 0) {
                nanos -= nanos % 1_000_000_000L;
            } else if (i % 3 == 1) {
                nanos -= nanos % 1_000L;
            }
            LocalTime expected = LocalTime.ofNanoOfDay(nanos);
            assertThat(LocalTime.parse(TimeText.ofNanos(nanos))).isEqualTo(expected);
            assertThat(TimeText.ofNanos(nanos)).hasSize(nanos % 1_000_000_000L == 0 ? 8 : TimeText.ofNanos(nanos).length())
                    .startsWith(String.format("%02d:%02d:%02d", expected.getHour(), expected.getMinute(), expected.getSecond()));
        }
    }

    @Test
    void extremesOfTheLongDoNotOverflow() {
        assertThat(TimeText.ofNanos(Long.MIN_VALUE)).startsWith("-2562047:47:16.854775808");
        assertThat(TimeText.ofNanos(Long.MAX_VALUE)).isEqualTo("2562047:47:16.854775807");
    }
}
