package dev.tollgate.internal.eval;

import java.time.Instant;

/**
 * Reads RFC 3339 date-times ({@code 2024-05-01T09:30:00Z}, {@code 2024-05-01T11:30:00.250+02:00}) without allocating,
 * for the {@code before} and {@code after} operators, which read one from the attribute on every evaluation.
 *
 * <p>The grammar is RFC 3339's {@code date-time}: a four-digit year (0000 to 9999), month, day, {@code T}, hours,
 * minutes, seconds, an optional fraction of any length, and {@code Z} or a {@code +hh:mm}/{@code -hh:mm} offset; {@code
 * T} and {@code Z} may be lower case, as in RFC 3339's ABNF. Days are checked against their month and leap years. A leap
 * second ({@code :60}) reads as {@code :59} of the same minute, as {@link java.time.Instant#parse} reads it. Instants
 * are compared to the nanosecond: digits of the fraction past the ninth are ignored.
 *
 * <p>Public for {@link dev.tollgate.internal.ApiAccess#instant}, through which the server reads the instants of the
 * documents it stores exactly as every SDK does; the package is not exported.
 */
public final class Rfc3339 {
    /** What {@link #epochSecond} answers for text that is not an RFC 3339 date-time. */
    static final long INVALID = Long.MIN_VALUE;

    private static final int SECONDS_PER_DAY = 86_400;
    private static final int NANO_DIGITS = 9;

    private Rfc3339() {}

    /** The date-time as an instant (allocating; for callers off the evaluation path), or null when it is not one. */
    public static Instant instant(String text) {
        long second = epochSecond(text);
        return second == INVALID ? null : Instant.ofEpochSecond(second, nano(text));
    }

    /** The date-time's second since 1970-01-01T00:00:00Z, or {@link #INVALID}. */
    static long epochSecond(String text) {
        int length = text.length();
        if (length < 20 || !separators(text)) {
            return INVALID;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
            return INVALID;
        }
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
            return INVALID;
        }
        int offset = offsetSeconds(text, fractionEnd(text));
        if (offset == Integer.MIN_VALUE) {
            return INVALID;
        }
        long secondOfDay = hour * 3_600L + minute * 60L + Math.min(second, 59);
        return epochDay(year, month, day) * SECONDS_PER_DAY + secondOfDay - offset;
    }

    /** The nanosecond within its second of a date-time {@link #epochSecond} accepted: its fraction, to nine digits. */
    static int nano(String text) {
        int nanos = 0;
        int digits = 0;
        if (text.charAt(19) == '.') {
            for (int i = 20; i < text.length() && digits < NANO_DIGITS && isDigit(text.charAt(i)); i++, digits++) {
                nanos = nanos * 10 + (text.charAt(i) - '0');
            }
        }
        for (; digits < NANO_DIGITS; digits++) {
            nanos *= 10;
        }
        return nanos;
    }

    private static boolean separators(String text) {
        char t = text.charAt(10);
        return text.charAt(4) == '-'
                && text.charAt(7) == '-'
                && (t == 'T' || t == 't')
                && text.charAt(13) == ':'
                && text.charAt(16) == ':';
    }

    /** The index after the optional fraction that follows the seconds, or -1 if a {@code .} has no digits. */
    private static int fractionEnd(String text) {
        if (text.charAt(19) != '.') {
            return 19;
        }
        int i = 20;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i == 20 ? -1 : i;
    }

    /** The offset at {@code i} that ends the text, in seconds east of UTC, or {@link Integer#MIN_VALUE}. */
    private static int offsetSeconds(String text, int i) {
        if (i < 0 || i >= text.length()) {
            return Integer.MIN_VALUE;
        }
        char sign = text.charAt(i);
        if (sign == 'Z' || sign == 'z') {
            return i + 1 == text.length() ? 0 : Integer.MIN_VALUE;
        }
        if ((sign != '+' && sign != '-') || i + 6 != text.length() || text.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        int hours = digits(text, i + 1, 2);
        int minutes = digits(text, i + 4, 2);
        if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) {
            return Integer.MIN_VALUE;
        }
        int seconds = hours * 3_600 + minutes * 60;
        return sign == '-' ? -seconds : seconds;
    }

    /** The decimal number in {@code count} characters from {@code start}, or -1 if one is not a digit. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int daysInMonth(int year, int month) {
        return switch (month) {
            case 2 -> leap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean leap(int year) {
        return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days since 1970-01-01 in the proleptic Gregorian calendar (the civil-from-days inverse of H. Hinnant). */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468L;
    }
}
