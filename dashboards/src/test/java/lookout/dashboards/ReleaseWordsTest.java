package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** The days a release publishes for the first time, named as a reader says them. */
class ReleaseWordsTest {
    @Test
    void aSpanOfDaysNamesItsMonthAndYearOnce() {
        assertEquals("of 31 January 2026", ReleaseWords.span(LocalDate.of(2026, 1, 31), LocalDate.of(2026, 1, 31)));
        assertEquals("from 25 to 31 January 2026",
                ReleaseWords.span(LocalDate.of(2026, 1, 25), LocalDate.of(2026, 1, 31)));
        assertEquals("from 25 January to 7 February 2026",
                ReleaseWords.span(LocalDate.of(2026, 1, 25), LocalDate.of(2026, 2, 7)));
        assertEquals("from 25 December 2025 to 7 January 2026",
                ReleaseWords.span(LocalDate.of(2025, 12, 25), LocalDate.of(2026, 1, 7)));
    }
}
