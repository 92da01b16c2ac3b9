package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;

/** Releases that would let an earlier release be subtracted from a later one are refused, not published. */
class ReleaseLedgerTest {
    private static final LocalDate MON = LocalDate.of(2026, 6, 1);

    @TempDir
    Path tmp;

    private static DailyCounts table(List<String> areas, int days, long value) {
        DailyCounts t = new DailyCounts(areas, MON, MON.plusDays(days - 1));
        for (String a : areas) {
            for (int d = 0; d < days; d++) {
                t.add(a, MON.plusDays(d), value);
            }
        }
        return t;
    }

    private static PublicRelease release(DailyCounts t, ReleaseLedger ledger) {
        return PublicRelease.build(Map.of("paramedic", t), 5, ledger, java.util.Optional.empty());
    }

    @Test
    void theLedgerSurvivesAWriteAndARead() {
        PublicRelease r = release(table(List.of("A", "B"), 7, 6), ReleaseLedger.empty());
        Path file = tmp.resolve("ledger.csv");
        r.ledger().write(file);
        ReleaseLedger read = ReleaseLedger.readOrEmpty(file);
        assertEquals(24, read.size());
        assertEquals(new ReleaseLedger.Entry(false, 6),
                read.get(new ReleaseLedger.Key("paramedic", Granularity.DAY, MON, "A")).orElseThrow());
        assertEquals(new ReleaseLedger.Entry(false, -1),
                read.get(new ReleaseLedger.Key("paramedic", Granularity.WEEK, MON, "ALL")).orElseThrow());
    }

    @Test
    void theLedgersAccountsSurviveAWriteAndARead() throws Exception {
        Path file = tmp.resolve("ledger.csv");
        Files.writeString(file, ReleaseLedger.HEADER + "\n# dp_epsilon_spent=0\n"
                + "# insider=c.outreach_1 A:2026-06-07:current,C:2026-05-31:former\n"
                + "# insider=b-outreach B:2026-06-07:current\n");
        ReleaseLedger read = ReleaseLedger.readOrEmpty(file);
        assertEquals(List.of("c.outreach_1", "b-outreach"), read.insiderNames());
        assertEquals(Map.of("A", new ReleaseLedger.Known(MON.plusDays(6), true),
                "C", new ReleaseLedger.Known(MON.minusDays(1), false)), read.insiders().get("c.outreach_1"));
        read.write(file);
        assertEquals(read.insiders(), ReleaseLedger.readOrEmpty(file).insiders());
    }

    @Test
    void aDamagedLedgerIsAUsageError() throws Exception {
        Path file = tmp.resolve("ledger.csv");
        Files.writeString(file, ReleaseLedger.HEADER + "\nparamedic,day,2026-06-01,A,false\n");
        assertEquals("release ledger " + file + " is damaged at line 2",
                assertThrows(UsageException.class, () -> ReleaseLedger.readOrEmpty(file)).getMessage());
        for (String insider : List.of("c-outreach", "c-outreach ,", "c-outreach A01", " A01:2026-06-01:current",
                "c-outreach A01:2026-06-01:current B", "c-outreach A01:2026-13-01:current",
                "c-outreach A01:2026-06-01:sometimes", "c-outreach A01:2026-06-01:current,A01:2026-06-02:former",
                "c-outreach A01:2026-06-01:current c-outreach B:2026-06-01:current",
                "c-outreach A01:2026-06-01:current\n# insider=c-outreach B:2026-06-01:current")) {
            Files.writeString(file, ReleaseLedger.HEADER + "\n# dp_epsilon_spent=0\n# insider=" + insider + "\n");
            assertEquals("release ledger " + file + " is damaged at line " + (insider.contains("\n") ? 4 : 3),
                    assertThrows(UsageException.class, () -> ReleaseLedger.readOrEmpty(file)).getMessage(), insider);
        }
    }

    @Test
    void aLedgerFromBeforeTheBasisRuleIsRefused() throws Exception {
        Path file = tmp.resolve("ledger.csv");
        Files.writeString(file, ReleaseLedger.OLD_HEADER + "\nparamedic,day,2026-06-01,A,true,3\n");
        assertEquals("release ledger " + file + " was written before revisions froze suppressed counts, so its releases"
                        + " cannot be continued safely; start a new ledger (--ledger NEW_FILE)",
                assertThrows(UsageException.class, () -> ReleaseLedger.readOrEmpty(file)).getMessage());
    }

    /** A suppressed area-day keeps contributing the count it had when first released, whatever it becomes later. */
    @Test
    void aSuppressedAreaDayKeepsItsFirstReleasedCountInEveryLaterTotal() {
        DailyCounts small = new DailyCounts(List.of("A", "B"), MON, MON.plusDays(6));
        DailyCounts revised = new DailyCounts(List.of("A", "B"), MON, MON.plusDays(6));
        for (String a : List.of("A", "B")) {
            for (int d = 0; d < 7; d++) {
                small.add(a, MON.plusDays(d), d == 0 && a.equals("A") ? 2 : 6);
                revised.add(a, MON.plusDays(d), d == 0 && a.equals("A") ? 3 : 6);
            }
        }
        PublicRelease first = release(small, ReleaseLedger.empty());
        PublicRelease second = release(revised, first.ledger());
        assertEquals(new ReleaseLedger.Entry(true, 2),
                second.ledger().get(new ReleaseLedger.Key("paramedic", Granularity.DAY, MON, "A")).orElseThrow());
        assertEquals(first.cells(), second.cells());
    }

    @Test
    void aPublishedCellThatFellBelowKIsRefused() {
        PublicRelease first = release(table(List.of("A", "B"), 7, 6), ReleaseLedger.empty());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> release(table(List.of("A", "B"), 7, 4), first.ledger()));
        assertEquals("a paramedic day cell published in an earlier release is now below k", e.getMessage());
    }

    @Test
    void aShorterPeriodOrOtherAreasAreRefused() {
        PublicRelease first = release(table(List.of("A", "B"), 7, 6), ReleaseLedger.empty());
        assertEquals("the release period 2026-06-01..2026-06-06 does not cover the earlier releases' period 2026-06-01..2026-06-07",
                assertThrows(IllegalStateException.class, () -> release(table(List.of("A", "B"), 6, 6), first.ledger())).getMessage());
        assertThrows(IllegalStateException.class, () -> release(table(List.of("A", "B", "C"), 7, 6), first.ledger()));
    }

    @Test
    void aSignalTheEarlierReleasesPublishedCannotBeLeftOut() {
        PublicRelease first = release(table(List.of("A", "B"), 7, 6), ReleaseLedger.empty());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> PublicRelease.build(
                Map.of("naloxone", table(List.of("A", "B"), 7, 6)), 5, first.ledger(), java.util.Optional.empty()));
        assertEquals("the earlier releases published paramedic counts for 2026-06-01..2026-06-07, but this snapshot"
                + " holds none: release from the snapshot they came from or a later one", e.getMessage());
    }

    @Test
    void statusIsFrozenEvenWhenALaterCountWouldAllowPublication() {
        DailyCounts early = new DailyCounts(List.of("A", "B"), MON, MON.plusDays(6));
        DailyCounts late = new DailyCounts(List.of("A", "B"), MON, MON.plusDays(6));
        for (String a : List.of("A", "B")) {
            for (int d = 0; d < 7; d++) {
                early.add(a, MON.plusDays(d), d == 0 && a.equals("A") ? 3 : 6);
                late.add(a, MON.plusDays(d), d == 0 && a.equals("A") ? 9 : 6);
            }
        }
        PublicRelease first = release(early, ReleaseLedger.empty());
        PublicRelease second = release(late, first.ledger());
        PublicCell cell = second.cells().stream()
                .filter(c -> c.granularity() == Granularity.DAY && c.periodStart().equals(MON) && c.areaId().equals("A"))
                .findFirst().orElseThrow();
        assertEquals(true, cell.suppressed());
        assertEquals(first.cells().stream().filter(PublicCell::suppressed).count(),
                second.cells().stream().filter(PublicCell::suppressed).count());
    }
}
