package io.cdcmesh.sink.elasticsearch.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IsoTextTest {
    private static final long YEAR_0 = LocalDate.of(0, 1, 1).toEpochDay();
    private static final long YEAR_10000 = LocalDate.of(10_000, 1, 1).toEpochDay();

    @Test
    void datesAreWhatLocalDateWrites() {
        Random random = new Random(3);
        for (int i = 0; i < 100_000; i++) {
            long day = YEAR_0 - 1_000 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0 + 2_000));
            assertThat(IsoText.date(day)).isEqualTo(LocalDate.ofEpochDay(day).toString());
        }
        assertThat(IsoText.date(0)).isEqualTo("1970-01-01");
        assertThat(IsoText.date(-1)).isEqualTo("1969-12-31");
    }

    @Test
    void dateTimesAreWhatLocalDateTimeWritesForEveryFractionLength() {
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            long second = (YEAR_0 - 1_000) * 86_400 + (long) (random.nextDouble() * (YEAR_10000 - YEAR_0 + 2_000) * 86_400);
            if (i % 5 == 0) {
                second -= Math.floorMod(second, 60);
            }
            int nano = switch (i % 5) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                case 3 -> random.nextInt(1_000_000_000);
                default -> random.nextInt(10) * 100_000_000;
            };
            assertThat(IsoText.dateTime(second, nano)).isEqualTo(LocalDateTime.ofEpochSecond(second, nano, ZoneOffset.UTC).toString());
        }
        assertThat(IsoText.dateTime(0, 0)).isEqualTo("1970-01-01T00:00");
        assertThat(IsoText.dateTime(-1, 999_999_000)).isEqualTo("1969-12-31T23:59:59.999999");
    }
}
