package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * Sparse counts, as coroner counts are: February 2021 (its four ISO weeks lie inside it), k = 5, three areas, and C
 * has no count all month. Week 1 (Feb 1-7) holds A 2+2 and B 2+2 on its first four days and nothing from Friday on;
 * week 2 holds one count on each day; week 3 holds A 1 and B 2; week 4 nothing. The all-areas weeks are 8, 7, 3 and
 * 0, the month 18; every area-day and all-areas day is below k.
 *
 * <p>C's zero on a day when every area has 0 can only be hidden by a +1 there made up by a -1 in another area on
 * another day of the same week and month: the day has nothing to take from, and C has no count of its own on any
 * day. Every other witness is C's +1 alone or paired outside the week, which moves the all-areas week 1 or the month
 * and would withhold city-wide figures that are not below k.
 */
class CellSuppressorTest {
    private static final LocalDate FEB = LocalDate.of(2021, 2, 1);
    private static final List<String> AREAS = List.of("A", "B", "C");

    private static DailyCounts february() {
        DailyCounts t = new DailyCounts(AREAS, FEB, FEB.plusDays(27));
        t.add("A", FEB, 2);
        t.add("B", FEB.plusDays(1), 2);
        t.add("A", FEB.plusDays(2), 2);
        t.add("B", FEB.plusDays(3), 2);
        for (int d = 7; d < 14; d++) {
            t.add(d < 11 ? "A" : "B", FEB.plusDays(d), 1);
        }
        t.add("A", FEB.plusDays(15), 1);
        t.add("B", FEB.plusDays(17), 2);
        return t;
    }

    private static PublicRelease release(List<Insider> insiders) {
        return PublicRelease.build(Map.of("coroner", february()), 5, ReleaseLedger.empty(), Optional.of(insiders));
    }

    private static List<String> published(PublicRelease r) {
        List<String> out = new ArrayList<>();
        for (PublicCell c : r.cells()) {
            if (!c.suppressed()) {
                out.add(c.granularity().code() + " " + c.periodStart() + " " + c.areaId() + "=" + c.count());
            }
        }
        return out;
    }

    /** What someone holding the release of {@code t}, and knowing every count of {@code known}, can pin down. */
    private static List<String> recoverable(PublicRelease r, DailyCounts t, Set<String> known) {
        DisclosureAuditor auditor = new DisclosureAuditor(t.areas(), t.first(), t.last());
        auditor.addRelease(r.cells(), new long[t.areas().size()][t.days()]);
        for (String area : known) {
            long[] counts = new long[t.days()];
            for (int d = 0; d < counts.length; d++) {
                counts[d] = t.get(area, t.first().plusDays(d));
            }
            auditor.know(area, counts);
        }
        return auditor.recoverableCells();
    }

    /** C's month (0) hides behind A's (9), the one cell withheld to protect others. */
    @Test
    void aQuietAreaInASparseMonthLeavesTheCityWideWeeksAndMonthPublished() {
        PublicRelease r = release(List.of());
        assertEquals(List.of("week 2021-02-01 ALL=8", "week 2021-02-08 ALL=7", "month 2021-02-01 B=9",
                "month 2021-02-01 ALL=18"), published(r));
        assertEquals(List.of(), recoverable(r, february(), Set.of()));
        PublicRelease.SignalFigures f = r.figures().get(0);
        assertEquals(List.of(127, 1), List.of(f.primary(), f.complementary()));
    }

    /**
     * An account that serves A: the pairs go through B instead, and B's month is withheld too, since the account
     * would read C's month as 18 - 9 - 9 = 0 from it; the city-wide figures stay, and nothing the account does not know
     * is pinned down.
     */
    @Test
    void theSameHoldsAgainstAnAccountThatKnowsOneOfTheBusyAreas() {
        PublicRelease r = release(List.of(new Insider("a-outreach", Set.of("A"))));
        assertEquals(List.of("week 2021-02-01 ALL=8", "week 2021-02-08 ALL=7", "month 2021-02-01 ALL=18"),
                published(r));
        assertEquals(List.of(), recoverable(r, february(), Set.of()));
        assertEquals(List.of(), recoverable(r, february(), Set.of("A")));
        PublicRelease.SignalFigures f = r.figures().get(0);
        assertEquals(List.of(2, 1), List.of(f.complementary(), f.forInsiders()));
    }

    /**
     * The same February, with a city-wide day of 6 that is all S's; Z has no count, Q 1 a week. Z's 0 on that day is
     * hidden either by a pair with S on the day, which withholds S's month (6), or by a pair with Q's 1 on the next
     * day, which withholds the city-wide day: the area's month goes.
     */
    @Test
    void anAreasCellsAreWithheldRatherThanTheCityWideDay() {
        DailyCounts t = new DailyCounts(List.of("Q", "S", "Z"), FEB, FEB.plusDays(27));
        t.add("S", FEB, 6);
        for (int week = 0; week < 4; week++) {
            t.add("Q", FEB.plusDays(7 * week + 1), 1);
        }
        PublicRelease r = PublicRelease.build(Map.of("coroner", t), 5, ReleaseLedger.empty(), Optional.empty());
        assertEquals(List.of("day 2021-02-01 ALL=6", "week 2021-02-01 ALL=7", "month 2021-02-01 ALL=10"), published(r));
        assertEquals(List.of(), recoverable(r, t, Set.of()));
    }
}
