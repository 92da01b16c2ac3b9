package lookout.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * A contract timestamp (ISO-8601 with offset, as {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} reads it), parsed
 * into a reused holder. The shape every feed sends, {@code yyyy-MM-ddTHH:mm[:ss[.f…]]} then {@code Z} or
 * {@code ±HH:MM}, is read by hand; any other text goes to {@link OffsetDateTime#parse}, so what is accepted, and
 * the instant it means, never differ from the formatter's. Not for more than one thread.
 */
final class OffsetTimestamp {
    private static final int SECONDS_PER_DAY = 86_400;
    private static final int MAX_OFFSET_SECONDS = 18 * 3600;
    private static final int[] NANO_SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};

    private long epochSecond;
    private int nano;
    private int year;
    private int month;
    private int day;
    private LocalDate fallbackDate;

    /** Reads {@code text}; false when the formatter would refuse it. */
    boolean parse(String text) {
        if (parseCommonShape(text)) {
            fallbackDate = null;
            return true;
        }
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            epochSecond = t.toEpochSecond();
            nano = t.getNano();
            fallbackDate = t.toLocalDate();
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    Instant instant() {
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    /** The instant in epoch milliseconds, rounded down; only for instants that fit a long of them. */
    long epochMillis() {
        return Math.addExact(Math.multiplyExact(epochSecond, 1000L), nano / 1_000_000);
    }

    /** The date in the timestamp's own offset, as written. */
    LocalDate localDate() {
        return fallbackDate != null ? fallbackDate : LocalDate.of(year, month, day);
    }

    /**
     * The common shape, or false to leave the text to the formatter (other shapes, and every text it would refuse:
     * this never refuses on its own).
     */
    private boolean parseCommonShape(String s) {
        int n = s.length();
        if (n < 17 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T' || s.charAt(13) != ':') {
            return false;
        }
        int y = digits(s, 0, 4);
        int mo = digits(s, 5, 2);
        int d = digits(s, 8, 2);
        int h = digits(s, 11, 2);
        int mi = digits(s, 14, 2);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > lengthOfMonth(y, mo) || h < 0 || h > 23 || mi < 0 || mi > 59) {
            return false;
        }
        int i = 16;
        int sec = 0;
        int nanos = 0;
        if (i < n && s.charAt(i) == ':') {
            sec = i + 3 <= n ? digits(s, i + 1, 2) : -1;
            if (sec < 0 || sec > 59) {
                return false;
            }
            i += 3;
            if (i < n && s.charAt(i) == '.') {
                int start = ++i;
                while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
                    nanos = nanos * 10 + (s.charAt(i++) - '0');
                }
                int count = i - start;
                if (count == 0 || (i < n && isDigit(s.charAt(i)))) {
                    return false;
                }
                nanos *= NANO_SCALE[count];
            }
        }
        int offset = offsetSeconds(s, i);
        if (offset == Integer.MIN_VALUE) {
            return false;
        }
        epochSecond = epochDay(y, mo, d) * SECONDS_PER_DAY + h * 3600L + mi * 60L + sec - offset;
        nano = nanos;
        year = y;
        month = mo;
        day = d;
        return true;
    }

    /** {@code Z} or {@code ±HH:MM} ending the text at {@code i}, in seconds; MIN_VALUE for anything else. */
    private static int offsetSeconds(String s, int i) {
        int n = s.length();
        if (i == n - 1 && s.charAt(i) == 'Z') {
            return 0;
        }
        if (i != n - 6 || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        char sign = s.charAt(i);
        int h = digits(s, i + 1, 2);
        int m = digits(s, i + 4, 2);
        if ((sign != '+' && sign != '-') || h < 0 || m < 0 || m > 59) {
            return Integer.MIN_VALUE;
        }
        int total = h * 3600 + m * 60;
        if (total > MAX_OFFSET_SECONDS) {
            return Integer.MIN_VALUE;
        }
        return sign == '-' ? -total : total;
    }

    /** The value of {@code count} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int k = from; k < from + count; k++) {
            char c = s.charAt(k);
            if (!isDigit(c)) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int lengthOfMonth(int year, int month) {
        return switch (month) {
            case 2 -> isLeap(year) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    /** Days from 1970-01-01 in the proleptic Gregorian calendar, for years 0 to 9999. */
    private static long epochDay(int year, int month, int day) {
        int y = month <= 2 ? year - 1 : year;
        int era = Math.floorDiv(y, 400);
        int yearOfEra = y - era * 400;
        int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
        int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
        return era * 146_097L + dayOfEra - 719_468;
    }
}
