package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An outreach account knows every count of its own areas. One day, three areas: A 5, B 2, C 0, so the all-areas
 * total is 7. Protected from the public alone, A and the total are published and B hides behind C; but the
 * account that serves C knows C is 0 and reads B = 7 - 5 - 0.
 */
class InsiderSuppressionTest {
    private static final LocalDate MON = LocalDate.of(2026, 6, 1);
    private static final List<String> AREAS = List.of("A", "B", "C");
    private static final Insider SERVES_C = new Insider("c-outreach", Set.of("C"));

    private static DailyCounts table() {
        DailyCounts t = new DailyCounts(AREAS, MON, MON);
        t.add("A", MON, 5);
        t.add("B", MON, 2);
        return t;
    }

    private static PublicRelease release(List<Insider> insiders, ReleaseLedger ledger) {
        return PublicRelease.build(Map.of("paramedic", table()), 5, ledger, Optional.of(insiders));
    }

    private static List<String> published(PublicRelease r) {
        List<String> out = new ArrayList<>();
        for (PublicCell c : r.cells()) {
            out.add(c.areaId() + "=" + (c.suppressed() ? "-" : c.count()));
        }
        return out;
    }

    /** What someone holding the release, and knowing the counts of {@code known}, can pin down. */
    private static List<String> recoverable(PublicRelease r, Set<String> known) {
        DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON);
        auditor.addRelease(r.cells(), new long[AREAS.size()][1]);
        DailyCounts t = table();
        for (String area : known) {
            auditor.know(area, new long[] {t.get(area, MON)});
        }
        return auditor.recoverableCells();
    }

    @Test
    void protectedFromThePublicAloneTheAccountThatServesCReadsB() {
        PublicRelease r = release(List.of(), ReleaseLedger.empty());
        assertEquals(List.of("A=5", "B=-", "C=-", "ALL=7"), published(r));
        assertEquals(List.of(), recoverable(r, Set.of()));
        assertEquals(List.of("paramedic day 2026-06-01 B in [2.0, 2.0]"), recoverable(r, Set.of("C")));
    }

    @Test
    void protectedFromThatAccountTooAIsWithheldAndNeitherTheAccountNorThePublicCanPinAnything() {
        PublicRelease r = release(List.of(SERVES_C), ReleaseLedger.empty());
        assertEquals(List.of("A=-", "B=-", "C=-", "ALL=7"), published(r));
        assertEquals(List.of(), recoverable(r, Set.of()));
        assertEquals(List.of(), recoverable(r, Set.of("C")));
        PublicRelease.SignalFigures f = r.figures().get(0);
        assertEquals(List.of(2, 1, 1), List.of(f.primary(), f.complementary(), f.forInsiders()));
        assertEquals(1, r.insiders());
    }

    @Test
    void anAccountThatKnowsEveryAreaOrNoneOfThemChangesNothing() {
        List<String> publicOnly = published(release(List.of(), ReleaseLedger.empty()));
        assertEquals(publicOnly, published(release(List.of(new Insider("everywhere", Set.of("A", "B", "C"))),
                ReleaseLedger.empty())));
        assertEquals(publicOnly, published(release(List.of(new Insider("elsewhere", Set.of("Z"))),
                ReleaseLedger.empty())));
    }

    /**
     * The account stays in the ledger: a release of one more day (the same counts again), made without naming it,
     * still withholds the new day's A, and the ledger read back from its file still names the account.
     */
    @Test
    void theLedgerRemembersTheAccountForLaterReleasesMadeWithoutIt(@TempDir Path tmp) {
        ReleaseLedger first = release(List.of(SERVES_C), ReleaseLedger.empty()).ledger();
        Path file = tmp.resolve("ledger.csv");
        first.write(file);
        ReleaseLedger read = ReleaseLedger.readOrEmpty(file);
        assertEquals(List.of("c-outreach"), read.insiderNames());

        DailyCounts twoDays = new DailyCounts(AREAS, MON, MON.plusDays(1));
        for (LocalDate d : List.of(MON, MON.plusDays(1))) {
            twoDays.add("A", d, 5);
            twoDays.add("B", d, 2);
        }
        PublicRelease later = PublicRelease.build(Map.of("paramedic", twoDays), 5, read, Optional.empty());
        assertEquals(List.of("A=-", "A=-", "B=-", "B=-", "C=-", "C=-", "ALL=7", "ALL=7"), published(later));
        assertEquals(1, later.insiders());
        assertEquals(Map.of("C", new ReleaseLedger.Known(MON.plusDays(1), true)),
                later.ledger().insiders().get("c-outreach"));
    }

    /**
     * A and the total were published before the account was given: nothing can hide B from it any more, but that
     * release already told it B, and the next one (the account now given) is made, says so, and tells it nothing
     * the first did not.
     */
    @Test
    void anAccountGivenAfterAReleaseThatUndoesItIsWarnedOfAndToldNothingMore() {
        PublicRelease earlier = release(List.of(), ReleaseLedger.empty());
        PublicRelease later = release(List.of(SERVES_C), earlier.ledger());
        assertEquals(List.of(new PublicRelease.Unhidden("c-outreach", "paramedic", 1)), later.unhidden());
        assertEquals(published(earlier), published(later));
        assertEquals(List.of("paramedic day 2026-06-01 B in [2.0, 2.0]"), recoverable(earlier, Set.of("C")));
        assertEquals(recoverable(earlier, Set.of("C")), recoverable(later, Set.of("C")));
        assertEquals(List.of(), release(List.of(SERVES_C), ReleaseLedger.empty()).unhidden());
    }

    /**
     * One day, A 5, B 0, C 3. Hiding C from the account that serves C withholds A; the account that serves B and C
     * must not then read A from the total (8 - 0 - 3), so the accounts are gone round until both are hidden from.
     */
    @Test
    void twoAccountsAreEachHiddenFromTheSuppressionsMadeForTheOther() {
        DailyCounts t = new DailyCounts(AREAS, MON, MON);
        t.add("A", MON, 5);
        t.add("C", MON, 3);
        PublicRelease r = PublicRelease.build(Map.of("paramedic", t), 5, ReleaseLedger.empty(),
                Optional.of(List.of(new Insider("b-and-c", Set.of("B", "C")), SERVES_C)));
        assertEquals(List.of("A=-", "B=-", "C=-", "ALL=-"), published(r));
        for (Set<String> known : List.of(Set.<String>of(), Set.of("B", "C"), Set.of("C"))) {
            DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON);
            auditor.addRelease(r.cells(), new long[AREAS.size()][1]);
            known.forEach(area -> auditor.know(area, new long[] {t.get(area, MON)}));
            assertEquals(List.of(), auditor.recoverableCells(), () -> "known " + known);
        }
        assertEquals(2, r.insiders());
    }

    /**
     * The account that served C now serves A. It still knows C's counts of the days it may have seen, so it is one
     * reader of both; the first release, made when it knew C only, left B = 7 - 5 - 0 to it, which the second is
     * warned of.
     */
    @Test
    void anAccountWhoseAreasChangeIsProtectedFromAsAReaderOfAllOfThem() {
        PublicRelease first = release(List.of(SERVES_C), ReleaseLedger.empty());
        PublicRelease second = release(List.of(new Insider("c-outreach", Set.of("A"))), first.ledger());
        assertEquals(Map.of("A", new ReleaseLedger.Known(MON, true), "C", new ReleaseLedger.Known(MON, false)),
                second.ledger().insiders().get("c-outreach"));
        assertEquals(List.of(new PublicRelease.Unhidden("c-outreach", "paramedic", 1)), second.unhidden());
        assertEquals(List.of("paramedic day 2026-06-01 B in [2.0, 2.0]"), recoverable(first, Set.of("A", "C")));
    }

    /**
     * An account serves A, then (from the second release on) B only. When it lost A is not known, so A's days up to
     * the second release's last one stay known to it; A's later days are hidden from it again. Day 3 holds A 2,
     * B 3, C 10: published, C and the total would give A = 15 - 10 - 3 to the account.
     */
    @Test
    void anAreaTakenFromAnAccountIsHiddenFromItAgainAfterTheNextRelease() {
        long[][] byDay = {{6, 6, 2}, {6, 6, 3}, {10, 10, 10}};
        List<Insider> servesA = List.of(new Insider("x", Set.of("A")));
        List<Insider> servesB = List.of(new Insider("x", Set.of("B")));
        PublicRelease r1 = PublicRelease.build(Map.of("paramedic", days(byDay, 1)), 5, ReleaseLedger.empty(),
                Optional.of(servesA));
        PublicRelease r2 = PublicRelease.build(Map.of("paramedic", days(byDay, 2)), 5, r1.ledger(),
                Optional.of(servesB));
        PublicRelease r3 = PublicRelease.build(Map.of("paramedic", days(byDay, 3)), 5, r2.ledger(),
                Optional.of(servesB));
        assertEquals(Map.of("A", new ReleaseLedger.Known(MON.plusDays(1), false),
                "B", new ReleaseLedger.Known(MON.plusDays(2), true)), r3.ledger().insiders().get("x"));

        DisclosureAuditor auditor = new DisclosureAuditor(AREAS, MON, MON.plusDays(2));
        auditor.addRelease(r3.cells(), new long[AREAS.size()][3]);
        auditor.know("A", new long[] {6, 6, 2}, 2);
        auditor.know("B", new long[] {6, 6, 3});
        assertEquals(List.of(), auditor.recoverableCells());
        assertTrue(published(r3).contains("A=-"));
        assertEquals(List.of(), r3.unhidden());
    }

    private static DailyCounts days(long[][] byAreaAndDay, int n) {
        DailyCounts t = new DailyCounts(AREAS, MON, MON.plusDays(n - 1));
        for (int a = 0; a < AREAS.size(); a++) {
            for (int d = 0; d < n; d++) {
                t.add(AREAS.get(a), MON.plusDays(d), byAreaAndDay[a][d]);
            }
        }
        return t;
    }
}
