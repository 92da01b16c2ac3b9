package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The two-release attacker must catch the differencing attack of issue 9, or the tests using it prove nothing. */
class DifferencingAuditorTest {
    private static final LocalDate MON = LocalDate.of(2021, 2, 1);
    private static final List<String> AREAS = List.of("a", "b");

    /** Every area-day suppressed, the all-areas days and each area's week published. */
    private static List<PublicCell> release(long[] allDays, long weekA, long weekB) {
        List<PublicCell> cells = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            cells.add(new PublicCell("paramedic", Granularity.DAY, MON.plusDays(d), "a", null));
            cells.add(new PublicCell("paramedic", Granularity.DAY, MON.plusDays(d), "b", null));
            cells.add(new PublicCell("paramedic", Granularity.DAY, MON.plusDays(d), "ALL", allDays[d]));
        }
        cells.add(new PublicCell("paramedic", Granularity.WEEK, MON, "a", weekA));
        cells.add(new PublicCell("paramedic", Granularity.WEEK, MON, "b", weekB));
        return cells;
    }

    private static DifferencingAuditor auditor() {
        return new DifferencingAuditor(AREAS, MON, MON.plusDays(6));
    }

    @Test
    void aTotalAndAnAreaThatBothMoveByOneShowWhichSuppressedCellChanged() {
        DifferencingAuditor auditor = auditor();
        auditor.addEarlier(release(new long[] {19, 6, 6, 6, 6, 6, 6}, 28, 27));
        auditor.addLater(release(new long[] {20, 6, 6, 6, 6, 6, 6}, 29, 27));
        assertEquals(List.of("paramedic day 2021-02-01 a revised by at least 1.0"), auditor.disclosures());
    }

    /**
     * Area a's days are published except Monday, its week is suppressed, and Tuesday's count of a rose from 6 to 7:
     * the week certainly grew, but only by what a published day shows, which is no leak.
     */
    @Test
    void aSuppressedWeekRevisedOnlyThroughPublishedDaysShowsNothing() {
        DifferencingAuditor auditor = auditor();
        auditor.addEarlier(weekHidden(6));
        auditor.addLater(weekHidden(7));
        assertEquals(List.of(), auditor.disclosures());
    }

    private static List<PublicCell> weekHidden(long aOnTuesday) {
        List<PublicCell> cells = new ArrayList<>();
        for (int d = 0; d < 7; d++) {
            long a = d == 1 ? aOnTuesday : 6;
            cells.add(new PublicCell("paramedic", Granularity.DAY, MON.plusDays(d), "a", d == 0 ? null : a));
            cells.add(new PublicCell("paramedic", Granularity.DAY, MON.plusDays(d), "b", null));
            cells.add(new PublicCell("paramedic", Granularity.DAY, MON.plusDays(d), "ALL", null));
        }
        cells.add(new PublicCell("paramedic", Granularity.WEEK, MON, "a", null));
        cells.add(new PublicCell("paramedic", Granularity.WEEK, MON, "b", null));
        return cells;
    }

    @Test
    void identicalReleasesShowNothing() {
        DifferencingAuditor auditor = auditor();
        auditor.addEarlier(release(new long[] {19, 6, 6, 6, 6, 6, 6}, 28, 27));
        auditor.addLater(release(new long[] {19, 6, 6, 6, 6, 6, 6}, 28, 27));
        assertEquals(List.of(), auditor.disclosures());
    }

    @Test
    void aCellPinnedByTheLaterReleaseAloneIsCaught() {
        DifferencingAuditor auditor = auditor();
        auditor.addEarlier(release(new long[] {19, 6, 6, 6, 6, 6, 6}, 28, 27));
        List<PublicCell> later = new ArrayList<>(release(new long[] {19, 6, 6, 6, 6, 6, 6}, 28, 27));
        later.set(0, new PublicCell("paramedic", Granularity.DAY, MON, "a", 12L));
        auditor.addLater(later);
        assertEquals(List.of("paramedic day 2021-02-01 b pinned in the earlier release", "paramedic day 2021-02-01 b pinned in the later release"),
                auditor.disclosures());
    }
}
