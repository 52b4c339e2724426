package io.cdcmesh.sink.elasticsearch.request;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * ISO-8601 text exactly as {@link LocalDate#toString()} and {@link LocalDateTime#toString()} give it, written into one
 * char array: those build it through several string builders, which made date columns a quarter of the time the
 * sink spends writing documents. Years outside 0 to 9999 (signed or five-digit forms) are left to java.time.
 */
final class IsoText {
    private IsoText() {}

    static String date(long epochDay) {
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return date.toString();
        }
        char[] text = new char[10];
        return new String(text, 0, date(text, date));
    }

    static String dateTime(long epochSecond, int nano) {
        LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(epochSecond, 86_400));
        if (date.getYear() < 0 || date.getYear() > 9999) {
            return LocalDateTime.ofEpochSecond(epochSecond, nano, ZoneOffset.UTC).toString();
        }
        int secondOfDay = (int) Math.floorMod(epochSecond, 86_400);
        char[] text = new char[29];
        int n = date(text, date);
        text[n++] = 'T';
        n = digits(text, n, secondOfDay / 3600, 2);
        text[n++] = ':';
        n = digits(text, n, secondOfDay / 60 % 60, 2);
        int second = secondOfDay % 60;
        if (second > 0 || nano > 0) {
            text[n++] = ':';
            n = digits(text, n, second, 2);
            if (nano > 0) {
                text[n++] = '.';
                if (nano % 1_000_000 == 0) {
                    n = digits(text, n, nano / 1_000_000, 3);
                } else if (nano % 1_000 == 0) {
                    n = digits(text, n, nano / 1_000, 6);
                } else {
                    n = digits(text, n, nano, 9);
                }
            }
        }
        return new String(text, 0, n);
    }

    private static int date(char[] text, LocalDate date) {
        int n = digits(text, 0, date.getYear(), 4);
        text[n++] = '-';
        n = digits(text, n, date.getMonthValue(), 2);
        text[n++] = '-';
        return digits(text, n, date.getDayOfMonth(), 2);
    }

    /** {@code value} (not negative) as exactly {@code width} digits, zero-padded, at {@code at}; the index after them. */
    private static int digits(char[] text, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            text[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }
}
