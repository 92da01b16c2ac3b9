package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The auditor must catch each attack the public tier defends against, or the property tests prove nothing. */
class DisclosureAuditorTest {
    private static final LocalDate MON = LocalDate.of(2021, 2, 1);
    private static final List<String> AREAS = List.of("a", "b");

    private static PublicCell day(String area, LocalDate d, Long count) {
        return new PublicCell("paramedic", Granularity.DAY, d, area, count);
    }

    @Test
    void subtractingAPublishedAreaFromThePublishedTotalIsCaught() {
        DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON);
        auditor.addRelease(List.of(day("a", MON, null), day("b", MON, 10L), day("ALL", MON, 12L)), new long[2][1]);
        assertEquals(List.of("paramedic day 2021-02-01 a in [2.0, 2.0]"), auditor.recoverableCells());
    }

    @Test
    void aDayInsideAPublishedWeekIsCaught() {
        List<PublicCell> cells = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            cells.add(day("a", MON.plusDays(i), i == 3 ? null : 6L));
            cells.add(day("b", MON.plusDays(i), null));
            cells.add(day("ALL", MON.plusDays(i), null));
        }
        cells.add(new PublicCell("paramedic", Granularity.WEEK, MON, "a", 39L));
        DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON.plusDays(6));
        auditor.addRelease(cells, new long[2][7]);
        assertEquals(List.of("paramedic day 2021-02-04 a in [3.0, 3.0]"), auditor.recoverableCells());
    }

    @Test
    void aCellPublishedEarlierAndSuppressedAfterARevisionIsCaught() {
        DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON);
        long[][] revision = {{0}, {2}};
        auditor.addRelease(List.of(day("a", MON, 7L), day("b", MON, null), day("ALL", MON, null)), revision);
        auditor.addRelease(List.of(day("a", MON, null), day("b", MON, null), day("ALL", MON, 9L)), new long[2][1]);
        assertEquals(List.of("paramedic day 2021-02-01 b in [2.0, 2.0]", "paramedic day 2021-02-01 ALL in [9.0, 9.0]",
                        "paramedic day 2021-02-01 a in [7.0, 7.0]", "paramedic day 2021-02-01 b in [2.0, 2.0]"),
                auditor.recoverableCells());
    }

    @Test
    void aPairHiddenBehindOneTotalIsNotRecoverable() {
        DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON.plusDays(1));
        auditor.addRelease(List.of(day("a", MON, null), day("b", MON, null), day("ALL", MON, 6L),
                day("a", MON.plusDays(1), null), day("b", MON.plusDays(1), null), day("ALL", MON.plusDays(1), 8L)),
                new long[2][2]);
        assertEquals(List.of(), auditor.recoverableCells());
    }
}
