package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The sentences outreach workers read: plain words, the numbers that matter, no statistics, no small counts. */
class ExplanationsTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    private static final long T = 1_767_366_000_000L; // Fri 2 Jan 2026 10:00 in Toronto

    @Test
    void countAlertSaysWhatRoseWhereAndAgainstWhat() {
        String s = Explanations.countAlert("paramedic", "77", "the last 24 hours", 9, 1.4, 6, T + 1234, TORONTO);
        assertEquals("More paramedic calls for suspected overdoses than usual in area 77: 9 in the last 24 hours, "
                + "when usually about 1 would be normal for this area at this time. That is above this area's alert "
                + "level (7), so it is unlikely to be chance. Detected Fri 2 Jan 2026, 10:00.", s);
        for (String jargon : List.of("GLR", "sigma", "p-value", "likelihood", "z-score", "NB", "Poisson")) {
            assertFalse(s.contains(jargon), jargon);
        }
    }

    @Test
    void smallCountsAreNeverSpelledOut() {
        String s = Explanations.countAlert("naloxone", "12", "the day of 2026-01-02", 3, 0.2, 2, T, TORONTO);
        assertTrue(s.contains("fewer than 5 in the day of 2026-01-02"), s);
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
    void severityGrowsWithTheRatioToUsual() {
        assertEquals("low", Explanations.countSeverity(4, 2));
        assertEquals("moderate", Explanations.countSeverity(6, 2));
        assertEquals("high", Explanations.countSeverity(12, 2));
        assertEquals("high", Explanations.countSeverity(3, 0.1), "3 where nearly none is usual");
    }
}
