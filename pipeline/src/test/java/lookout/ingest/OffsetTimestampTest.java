package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hand-written reading agrees with {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} on every text. */
class OffsetTimestampTest {
    private static final String OF_EVERY_KIND = "0123456789-+:.TtZz ,\u0660x";

    /** What the formatter makes of {@code text}: its instant, nanos and local date, or "refused". */
    private static String expected(String text) {
        try {
            OffsetDateTime t = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            return t.toEpochSecond() + "." + t.getNano() + " " + t.toLocalDate();
        } catch (DateTimeParseException e) {
            return "refused";
        }
    }

    private static String observed(OffsetTimestamp t, String text) {
        if (!t.parse(text)) {
            return "refused";
        }
        Instant i = t.instant();
        return i.getEpochSecond() + "." + i.getNano() + " " + t.localDate();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-03-04T21:15:42-05:00", "2026-03-04T21:15-05:00", "2026-03-04T21:15:42Z", "2026-03-04T21:15:42.5Z",
        "2026-03-04T21:15:42.123456789+14:00", "2026-03-04T21:15:42.1234567891Z", "2026-03-04T21:15:42.Z",
        "2024-02-29T00:00:00Z", "2023-02-29T00:00:00Z", "2000-02-29T12:00Z", "1900-02-29T12:00Z", "2026-04-31T00:00Z",
        "2026-13-01T00:00Z", "2026-00-10T00:00Z", "2026-01-00T00:00Z", "2026-01-01T24:00Z", "2026-01-01T23:60Z",
        "2026-01-01T23:59:60Z", "2026-01-01T00:00+18:00", "2026-01-01T00:00-18:00", "2026-01-01T00:00+18:01",
        "2026-01-01T00:00+19:00", "2026-01-01T00:00-00:00", "2026-01-01T00:00+00:00", "2026-01-01T00:00+05",
        "2026-01-01T00:00+0530", "2026-01-01T00:00+05:30:15", "2026-01-01T00:00z", "2026-01-01t00:00Z",
        "2026-01-01 00:00Z", "2026-01-01T00:00", "2026-3-04T21:15Z", "+2026-01-01T00:00Z", "-0001-01-01T00:00Z",
        "+10000-01-01T00:00Z", "0000-01-01T00:00Z", "9999-12-31T23:59:59.999999999-18:00", "0001-01-01T00:00:00Z",
        "-999999999-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "2026-01-01T00:00:00,5Z", "yesterday", "",
        "2026-01-01T00:00Z ", " 2026-01-01T00:00Z", "2026-01-01T00:00:0Z", "2026-01-01T00:0Z", "1970-01-01T00:00Z",
        "1969-12-31T23:59:59.999999999Z", "2026-01-01T00:00+5:30", "2026-01-01T00:00+05:60", "2026-01-01T00:00+05:3",
        "\u0662\u0660\u0662\u0666-01-01T00:00Z",
    })
    void agreesWithTheFormatterOnEdgeCases(String text) {
        assertEquals(expected(text), observed(new OffsetTimestamp(), text), text);
    }

    @Test
    void agreesWithTheFormatterOnGeneratedAndMutatedTexts() {
        SplittableRandom random = new SplittableRandom(14);
        OffsetTimestamp t = new OffsetTimestamp();
        int accepted = 0;
        int mutated = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = generated(random);
            if (random.nextInt(3) == 0) {
                text = mutated(text, random);
                mutated++;
            }
            String expected = expected(text);
            assertEquals(expected, observed(t, text), text);
            if (!expected.equals("refused")) {
                accepted++;
            }
        }
        assertTrue(accepted > 100_000 && mutated > 50_000, accepted + " accepted, " + mutated + " mutated");
    }

    @Test
    void keepsTheDateAsWrittenAndTheMillisRoundedDown() {
        OffsetTimestamp t = new OffsetTimestamp();
        assertTrue(t.parse("2026-03-04T21:15:42.9999-05:00"));
        assertEquals(LocalDate.of(2026, 3, 4), t.localDate(), "the date in its own offset, not in UTC");
        assertEquals(Instant.parse("2026-03-05T02:15:42.999Z").toEpochMilli(), t.epochMillis());
        assertTrue(t.parse("1969-12-31T23:59:59.9995Z"));
        assertEquals(-1, t.epochMillis());
        assertFalse(t.parse("2026-03-04T21:15:42"));
    }

    private static String generated(SplittableRandom r) {
        int year = r.nextInt(10) == 0 ? r.nextInt(10_000) : 1960 + r.nextInt(80);
        int month = r.nextInt(10) == 0 ? r.nextInt(14) : 1 + r.nextInt(12);
        int day = r.nextInt(4) == 0 ? 28 + r.nextInt(4) : r.nextInt(10) == 0 ? r.nextInt(33) : 1 + r.nextInt(28);
        int hour = r.nextInt(20) == 0 ? 24 : r.nextInt(24);
        int minute = r.nextInt(20) == 0 ? 60 : r.nextInt(60);
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d", year, month, day, hour, minute));
        if (r.nextInt(5) != 0) {
            b.append(String.format(Locale.ROOT, ":%02d", r.nextInt(20) == 0 ? 60 : r.nextInt(60)));
            if (r.nextInt(3) == 0) {
                b.append('.');
                int digits = r.nextInt(11);
                for (int k = 0; k < digits; k++) {
                    b.append((char) ('0' + r.nextInt(10)));
                }
            }
        }
        switch (r.nextInt(4)) {
            case 0 -> b.append('Z');
            case 1 -> b.append(String.format(Locale.ROOT, "%c%02d:%02d", r.nextBoolean() ? '+' : '-', r.nextInt(20),
                    r.nextInt(8) == 0 ? r.nextInt(61) : r.nextInt(4) * 15));
            case 2 -> b.append(String.format(Locale.ROOT, "%c%02d:00", r.nextBoolean() ? '+' : '-', r.nextInt(19)));
            default -> b.append(r.nextBoolean() ? "-05:00" : "+00:00");
        }
        return b.toString();
    }

    /** One character replaced, inserted or removed, with a character of the kinds timestamps are made of. */
    private static String mutated(String text, SplittableRandom r) {
        int at = r.nextInt(text.length());
        char c = OF_EVERY_KIND.charAt(r.nextInt(OF_EVERY_KIND.length()));
        return switch (r.nextInt(3)) {
            case 0 -> text.substring(0, at) + c + text.substring(at + 1);
            case 1 -> text.substring(0, at) + c + text.substring(at);
            default -> text.substring(0, at) + text.substring(at + 1);
        };
    }
}
