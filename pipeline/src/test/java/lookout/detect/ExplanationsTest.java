package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The sentences outreach workers read: plain words, the numbers that matter, no statistics, no small counts. */
class ExplanationsTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    private static final long T = 1_767_366_000_000L; // Fri 2 Jan 2026 10:00 in Toronto

    @Test
    void countAlertSaysWhatRoseWhereAndAgainstWhat() {
        String s = Explanations.countAlert("paramedic", "77", "in the last 24 hours", 9, 1.4, 6, T + 1234, TORONTO);
        assertEquals("More paramedic calls for suspected overdoses than usual in area 77: 9 in the last 24 hours, "
                + "when usually about 1 would be normal for this area at this time. That is above this area's alert "
                + "level (7), so it is unlikely to be chance. Figures as of Fri 2 Jan 2026, 10:00.", s);
        for (String jargon : List.of("GLR", "sigma", "p-value", "likelihood", "z-score", "NB", "Poisson")) {
            assertFalse(s.contains(jargon), jargon);
        }
    }

    @Test
    void eachFiringSaysItsOwnHourAndZoneWhateverWasSaidBefore() {
        ZoneId vancouver = ZoneId.of("America/Vancouver");
        String[] said = {
            Explanations.countAlert("paramedic", "77", "in the last 8 hours", 9, 1.4, 6, T, TORONTO),
            Explanations.countAlert("paramedic", "77", "in the last 8 hours", 9, 1.4, 6, T + 3_599_999, TORONTO),
            Explanations.countAlert("paramedic", "77", "in the last 8 hours", 9, 1.4, 6, T + 3_600_000, TORONTO),
            Explanations.countAlert("paramedic", "77", "in the last 8 hours", 9, 1.4, 6, T + 3_600_000, vancouver),
            Explanations.countAlert("paramedic", "77", "in the last 8 hours", 9, 1.4, 6, T, TORONTO),
        };
        String[] hours = {"Fri 2 Jan 2026, 10:00", "Fri 2 Jan 2026, 10:00", "Fri 2 Jan 2026, 11:00",
            "Fri 2 Jan 2026, 08:00", "Fri 2 Jan 2026, 10:00"};
        for (int i = 0; i < said.length; i++) {
            assertTrue(said[i].endsWith("Figures as of " + hours[i] + "."), said[i]);
        }
    }

    @Test
    void smallCountsAreNeverSpelledOut() {
        String s = Explanations.countAlert("naloxone", "12", Explanations.onDay(LocalDate.of(2026, 1, 2)), 3, 0.2, 2, T,
                TORONTO);
        assertTrue(s.contains(": fewer than 5 on Fri 2 Jan 2026, when"), s);
        assertTrue(s.contains("usually less than 1"), s);
        assertTrue(s.contains("naloxone kits used to reverse overdoses"), s);
        assertFalse(s.contains("3"), "neither the count nor the level of 3 appears: " + s);
    }

    @Test
    void toxicityAlertNamesTheSubstanceTheAreasAndTheRisk() {
        String s = Explanations.toxicityAlert("77", 6, 3, 24, List.of("carfentanil"), List.of("bromazolam"),
                List.of("76", "77"), T, TORONTO);
        assertTrue(s.startsWith("Possible toxic drug supply in area 77: overdoses are up (6 paramedic calls and "
                + "fewer than 5 naloxone uses in the last 24 hours, more than usual)"), s);
        assertTrue(s.contains("drug checking recently found carfentanil, and a substance not seen before in the city "
                + "(bromazolam) in samples from area 76, 77"), s);
        assertTrue(s.contains("may be at higher risk"), s);
    }

    @Test
    void coronerDeathsQuoteTheNowcastAtKOrMore() {
        // 6 deaths so far where 4 in 10 are usually in: 6 / 0.4 = 15 expected; the still-to-come count is negative
        // binomial (size 6.5, probability 0.4), whose 5 % and 95 % quantiles are 3 and 19 (scipy's nbinom.ppf).
        assertEquals(" Coroner reports received since then: 6 suspected overdose deaths in this area around the time"
                + " of the alert, which supports it. Coroner reports come in late: about 15 deaths are expected once"
                + " all reports are in (likely between 9 and 25).",
                Explanations.coronerDeaths(6, Nowcast.of(6, 0.4)));
    }

    @Test
    void belowKTheNowcastSaysTheShareInAndNeverTheCountOrTheExpectedOne() {
        String expected = " Coroner reports received since then: fewer than 5 suspected overdose deaths in this area"
                + " around the time of the alert, which supports it. Coroner reports come in late: usually only about"
                + " 4 in 10 are in this soon, so expect about 2.5 times as many once all reports are in.";
        for (int deaths = 0; deaths < 5; deaths++) {
            assertEquals(expected, Explanations.coronerDeaths(deaths, Nowcast.of(deaths, 0.4)),
                    "the same words for every count below k, so neither the count nor 'count / 0.4' shows");
        }
        assertTrue(Explanations.coronerDeaths(3, Nowcast.of(3, 0.21)).endsWith("usually only about 2 in 10 are in"
                + " this soon, so expect about 5 times as many once all reports are in."));
        assertTrue(Explanations.coronerDeaths(3, Nowcast.of(3, 0.52)).endsWith("usually only about 5 in 10 are in"
                + " this soon, so expect about twice as many once all reports are in."));
        assertTrue(Explanations.coronerDeaths(3, Nowcast.of(3, 0.8)).endsWith("usually only about 8 in 10 are in"
                + " this soon, so expect a few more once all reports are in."));
    }

    @Test
    void noNowcastIsSaidWhenNearlyAllAreInOrNoDelaysAreKnownAndTooEarlyIsSaidAsSuch() {
        String confirmed = " Coroner reports received since then: 7 suspected overdose deaths in this area around"
                + " the time of the alert, which supports it.";
        assertEquals(confirmed, Explanations.coronerDeaths(7, null));
        assertEquals(confirmed, Explanations.coronerDeaths(7, Nowcast.of(7, 0.96)));
        assertEquals(confirmed + " Coroner reports come in late, and most of those for these days are usually still"
                + " to come: too few are in to say how many deaths there will be.",
                Explanations.coronerDeaths(7, Nowcast.of(7, 0.05)));
    }

    @Test
    void severityGrowsWithTheRatioToUsual() {
        assertEquals("low", Explanations.countSeverity(4, 2));
        assertEquals("moderate", Explanations.countSeverity(6, 2));
        assertEquals("high", Explanations.countSeverity(12, 2));
        assertEquals("high", Explanations.countSeverity(3, 0.1), "3 where nearly none is usual");
    }
}
