package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Random count tables through the public tier, audited by {@link DisclosureAuditor}. Periods are drawn so that
 * weeks nest in a month (February 2021 starts on a Monday), straddle two months (January-March 2022), or are cut
 * by the period's ends.
 */
class PublicTierPropertiesTest {
    private static final String SIGNAL = "coroner";
    /** A signal released beside the coroner's, over the whole release period. */
    private static final String OTHER = "paramedic";

    record Scenario(int k, List<String> areas, LocalDate first, LocalDate last, List<Long> counts) {
        DailyCounts table() {
            DailyCounts t = new DailyCounts(areas, first, last);
            int days = t.days();
            for (int i = 0; i < counts.size(); i++) {
                t.add(areas.get(i / days), first.plusDays(i % days), counts.get(i));
            }
            return t;
        }

        /** The same counts over {@code first..end} only, as a signal whose period ends earlier has them. */
        Scenario through(LocalDate end) {
            int days = days(new LocalDate[] {first, last});
            int keptDays = days(new LocalDate[] {first, end});
            List<Long> kept = new ArrayList<>();
            for (int a = 0; a < areas.size(); a++) {
                kept.addAll(counts.subList(a * days, a * days + keptDays));
            }
            return new Scenario(k, areas, first, end, kept);
        }

        @Override
        public String toString() {
            return "k=" + k + " areas=" + areas.size() + " " + first + ".." + last + " counts=" + counts;
        }
    }

    record Revision(Scenario earlier, Scenario later) {}

    /** A revision released with the coroner's period ending {@code earlierLag}, then {@code laterLag}, days earlier. */
    record Lagged(Revision revision, int earlierLag, int laterLag) {}

    /** A scenario and, for each outreach account, the areas it knows every count of (some, never all). */
    record WithInsiders<T>(T scenario, List<Set<String>> known) {
        List<Insider> insiders() {
            List<Insider> insiders = new ArrayList<>();
            for (int i = 0; i < known.size(); i++) {
                insiders.add(new Insider("outreach-" + i, known.get(i)));
            }
            return insiders;
        }
    }

    @Property(tries = 1000)
    void noPublishedCellIsBelowKAndPublishedCellsAreTrue(@ForAll("scenarios") Scenario s) {
        DailyCounts table = s.table();
        PublicRelease release = PublicRelease.build(Map.of(SIGNAL, table), s.k(), ReleaseLedger.empty(),
                Optional.empty());
        for (PublicCell c : release.cells()) {
            if (!c.suppressed()) {
                assertTrue(c.count() >= s.k(), () -> "published below k: " + c);
                assertEquals(table.total(c), c.count(), () -> "published value differs from the data: " + c);
            }
        }
    }

    @Property(tries = 300)
    void noSuppressedCellIsRecoverableFromCellsTotalsAndNestedWindows(@ForAll("scenarios") Scenario s) {
        PublicRelease release = PublicRelease.build(Map.of(SIGNAL, s.table()), s.k(), ReleaseLedger.empty(),
                Optional.empty());
        DisclosureAuditor auditor = new DisclosureAuditor(s.areas(), s.first(), s.last());
        auditor.addRelease(release.cells(), new long[s.areas().size()][s.table().days()]);
        List<String> recovered = auditor.recoverableCells();
        assertTrue(recovered.isEmpty(), () -> "recoverable: " + recovered);
    }

    @Property(tries = 300)
    void anOutreachAccountRecoversNoSuppressedCellOutsideItsOwnAreas(@ForAll("withInsider") WithInsiders<Scenario> w) {
        checkOneRelease(w);
    }

    /** Two or three accounts, often overlapping: a suppression made to hide a cell from one must hide from all. */
    @Property(tries = 200)
    void severalOutreachAccountsEachRecoverNothingOutsideTheirOwnAreas(
            @ForAll("withSeveralInsiders") WithInsiders<Scenario> w) {
        checkOneRelease(w);
    }

    private static void checkOneRelease(WithInsiders<Scenario> w) {
        Scenario s = w.scenario();
        DailyCounts table = s.table();
        PublicRelease release = PublicRelease.build(Map.of(SIGNAL, table), s.k(), ReleaseLedger.empty(),
                Optional.of(w.insiders()));
        List<Set<String>> readers = new ArrayList<>(w.known());
        readers.add(Set.of());
        for (Set<String> known : readers) {
            DisclosureAuditor auditor = new DisclosureAuditor(s.areas(), s.first(), s.last());
            auditor.addRelease(release.cells(), new long[s.areas().size()][table.days()]);
            for (String area : known) {
                auditor.know(area, row(table, area));
            }
            List<String> recovered = auditor.recoverableCells();
            assertTrue(recovered.isEmpty(), () -> "recoverable by someone who knows " + known + ": " + recovered);
        }
    }

    /**
     * Two releases, the later one with late reports added and the period possibly extended. Checked three ways:
     * statuses never change; every published number of the later release is the sum of its basis (published
     * area-days at their current count, suppressed area-days at the count they had when first released); and
     * neither an attacker who knows every revision of that basis exactly ({@link DisclosureAuditor}) nor one who
     * knows only that revisions add events ({@link DifferencingAuditor}) can pin a suppressed cell down or tell
     * that a suppressed cell changed.
     */
    @Property(tries = 200)
    void aRevisedReleaseMinusTheEarlierOneRecoversNothing(@ForAll("revisions") Revision r) {
        checkRevision(r, List.of());
    }

    /** The same with an outreach account considered in both releases, and the auditor knowing its areas. */
    @Property(tries = 150)
    void anOutreachAccountRecoversNothingOutsideItsAreasAcrossARevision(
            @ForAll("revisionWithInsiders") WithInsiders<Revision> w) {
        checkRevision(w.scenario(), w.insiders());
    }

    /** Checks the pair of releases against the public and against each of {@code insiders}, who know their areas. */
    private static void checkRevision(Revision r, List<Insider> insiders) {
        Scenario s1 = r.earlier();
        Scenario s2 = r.later();
        PublicRelease first = PublicRelease.build(Map.of(SIGNAL, s1.table()), s1.k(), ReleaseLedger.empty(),
                Optional.of(insiders));
        PublicRelease second = PublicRelease.build(Map.of(SIGNAL, s2.table()), s2.k(), first.ledger(),
                Optional.of(insiders));
        checkRevision(r, first.cells(), second.cells(), insiders);
    }

    /**
     * Two releases of the coroner beside another signal, as export makes them: the coroner's period ends a lag before
     * the release's last day, and never before what the earlier release published of it. A lag made shorter grows
     * its period by more than the other's, one made longer not at all. The coroner's cells pass the checks of
     * {@link #aRevisedReleaseMinusTheEarlierOneRecoversNothing} on their own grid, against the public and the
     * outreach accounts, and the other signal's cells are those it has when released alone.
     */
    @Property(tries = 100)
    void aCoronerPeriodThatGrowsByMoreThanTheOthersBetweenReleasesRecoversNothing(
            @ForAll("laggedRevisions") WithInsiders<Lagged> w) {
        Lagged l = w.scenario();
        Scenario s1 = l.revision().earlier();
        Scenario s2 = l.revision().later();
        Optional<List<Insider>> insiders = Optional.of(w.insiders());
        Scenario c1 = s1.through(CoronerLag.lastDay(s1.last(), l.earlierLag(), ReleaseLedger.empty()));
        PublicRelease first = PublicRelease.build(bothSignals(s1, c1), s1.k(), ReleaseLedger.empty(), insiders);
        Scenario c2 = s2.through(CoronerLag.lastDay(s2.last(), l.laterLag(), first.ledger()));
        PublicRelease second = PublicRelease.build(bothSignals(s2, c2), s2.k(), first.ledger(), insiders);

        checkRevision(new Revision(c1, c2), cellsOf(first, SIGNAL), cellsOf(second, SIGNAL), w.insiders());
        PublicRelease firstAlone = PublicRelease.build(Map.of(OTHER, s1.table()), s1.k(), ReleaseLedger.empty(),
                insiders);
        PublicRelease secondAlone = PublicRelease.build(Map.of(OTHER, s2.table()), s2.k(), firstAlone.ledger(),
                insiders);
        assertEquals(firstAlone.cells(), cellsOf(first, OTHER), "the coroner's lag changed another signal's cells");
        assertEquals(secondAlone.cells(), cellsOf(second, OTHER), "the coroner's lag changed another signal's cells");
    }

    private static Map<String, DailyCounts> bothSignals(Scenario other, Scenario coroner) {
        Map<String, DailyCounts> tables = new java.util.LinkedHashMap<>();
        tables.put(OTHER, other.table());
        tables.put(SIGNAL, coroner.table());
        return tables;
    }

    private static List<PublicCell> cellsOf(PublicRelease release, String signal) {
        return release.cells().stream().filter(c -> c.signal().equals(signal)).toList();
    }

    /** The checks of a pair of one signal's releases, {@code first} and {@code second} its cells in each. */
    private static void checkRevision(Revision r, List<PublicCell> first, List<PublicCell> second,
            List<Insider> insiders) {
        Scenario s2 = r.later();
        DailyCounts later = s2.table();
        Basis b = basis(r, first);
        DailyCounts basis = b.counts();
        long[][] revision = b.revisionSince();
        for (PublicCell c : second) {
            if (!c.suppressed()) {
                assertTrue(c.count() >= s2.k(), () -> "published below k: " + c);
                assertEquals(basis.total(c), c.count(), () -> "published value differs from the release's basis: " + c);
            }
        }
        for (PublicCell c : first) {
            boolean stillSuppressed = second.stream().filter(n -> sameCell(n, c)).findFirst().orElseThrow()
                    .suppressed();
            assertEquals(c.suppressed(), stillSuppressed, () -> "a cell changed status between releases: " + c);
        }
        List<Set<String>> readers = new ArrayList<>(insiders.stream().map(Insider::areas).toList());
        readers.add(Set.of());
        for (Set<String> known : readers) {
            DisclosureAuditor auditor = new DisclosureAuditor(s2.areas(), s2.first(), s2.last());
            auditor.addRelease(first, revision);
            auditor.addRelease(second, new long[s2.areas().size()][later.days()]);
            for (String area : known) {
                auditor.know(area, row(basis, area));
            }
            List<String> recovered = auditor.recoverableCells();
            assertTrue(recovered.isEmpty(),
                    () -> "recoverable across releases by who knows " + known + ": " + recovered);
        }

        DifferencingAuditor differencing = new DifferencingAuditor(s2.areas(), s2.first(), s2.last());
        differencing.addEarlier(first);
        differencing.addLater(second);
        List<String> disclosed = differencing.disclosures();
        assertTrue(disclosed.isEmpty(), () -> "the difference of the two releases discloses: " + disclosed);
    }

    /**
     * An account given to the later release only, after an earlier release that did not consider it: whatever it
     * can pin down from both releases and its own areas, it could pin down from the earlier release alone.
     */
    @Property(tries = 150)
    void anOutreachAccountGivenOnlyToTheLaterReleaseLearnsNothingTheEarlierOneDidNotTellIt(
            @ForAll("revisionWithInsiders") WithInsiders<Revision> w) {
        Scenario s1 = w.scenario().earlier();
        Scenario s2 = w.scenario().later();
        PublicRelease first = PublicRelease.build(Map.of(SIGNAL, s1.table()), s1.k(), ReleaseLedger.empty(),
                Optional.empty());
        PublicRelease second = PublicRelease.build(Map.of(SIGNAL, s2.table()), s2.k(), first.ledger(),
                Optional.of(w.insiders()));
        Basis b = basis(w.scenario(), first.cells());
        for (Set<String> known : w.known()) {
            DisclosureAuditor firstOnly = new DisclosureAuditor(s1.areas(), s1.first(), s1.last());
            firstOnly.addRelease(first.cells(), new long[s1.areas().size()][s1.table().days()]);
            DisclosureAuditor both = new DisclosureAuditor(s2.areas(), s2.first(), s2.last());
            both.addRelease(first.cells(), b.revisionSince());
            both.addRelease(second.cells(), new long[s2.areas().size()][s2.table().days()]);
            for (String area : known) {
                firstOnly.know(area, row(s1.table(), area));
                both.know(area, row(b.counts(), area));
            }
            Set<String> toldBefore = cellsOf(firstOnly.recoverableCells());
            List<String> told = both.recoverableCells();
            assertTrue(toldBefore.containsAll(cellsOf(told)), () -> "told by the later release: " + told);
        }
    }

    /** "coroner day 2021-01-01 area-2 in [2.0, 2.0]" without its interval. */
    private static Set<String> cellsOf(List<String> recovered) {
        Set<String> cells = new java.util.HashSet<>();
        recovered.forEach(r -> cells.add(r.substring(0, r.indexOf(" in ["))));
        return cells;
    }

    /**
     * The later release's basis (published area-days at their current count, suppressed ones as first released)
     * and how much each area-day grew since the earlier release.
     */
    record Basis(DailyCounts counts, long[][] revisionSince) {}

    private static Basis basis(Revision r, List<PublicCell> first) {
        Scenario s2 = r.later();
        DailyCounts later = s2.table();
        DailyCounts earlier = r.earlier().table();
        DailyCounts basis = new DailyCounts(s2.areas(), s2.first(), s2.last());
        long[][] revision = new long[s2.areas().size()][later.days()];
        for (int a = 0; a < s2.areas().size(); a++) {
            for (int d = 0; d < later.days(); d++) {
                boolean frozen = d < earlier.days()
                        && firstReleased(first, s2.areas().get(a), s2.first().plusDays(d)).suppressed();
                long value = frozen ? earlier.get(a, d) : later.get(a, d);
                basis.add(s2.areas().get(a), s2.first().plusDays(d), value);
                revision[a][d] = d < earlier.days() ? value - earlier.get(a, d) : 0;
            }
        }
        return new Basis(basis, revision);
    }

    private static long[] row(DailyCounts table, String area) {
        long[] counts = new long[table.days()];
        for (int d = 0; d < counts.length; d++) {
            counts[d] = table.get(area, table.first().plusDays(d));
        }
        return counts;
    }

    private static PublicCell firstReleased(List<PublicCell> cells, String area, LocalDate day) {
        return cells.stream()
                .filter(c -> c.granularity() == Granularity.DAY && c.areaId().equals(area) && c.periodStart().equals(day))
                .findFirst().orElseThrow();
    }

    private static boolean sameCell(PublicCell a, PublicCell b) {
        return a.granularity() == b.granularity() && a.periodStart().equals(b.periodStart()) && a.areaId().equals(b.areaId());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        return scenarios(2, 3);
    }

    private static Arbitrary<Scenario> scenarios(int minAreas, int maxAreas) {
        return Combinators.combine(Arbitraries.integers().between(2, 6),
                        Arbitraries.integers().between(minAreas, maxAreas), periods())
                .flatAs((k, n, period) -> counts(n * days(period)).map(c -> new Scenario(k, areaIds(n), period[0], period[1], c)));
    }

    @Provide
    Arbitrary<WithInsiders<Scenario>> withInsider() {
        return scenarios().flatMap(s -> known(s.areas()).map(k -> new WithInsiders<>(s, List.of(k))));
    }

    @Provide
    Arbitrary<WithInsiders<Scenario>> withSeveralInsiders() {
        return scenarios(3, 4).flatMap(s -> known(s.areas()).list().ofMinSize(2).ofMaxSize(3)
                .map(k -> new WithInsiders<>(s, k)));
    }

    /** Revisions with outreach accounts, each release's coroner lag leaving it at least one day. */
    @Provide
    Arbitrary<WithInsiders<Lagged>> laggedRevisions() {
        return revisionWithInsiders().flatMap(w -> Combinators.combine(
                        Arbitraries.integers().between(0, w.scenario().earlier().table().days() - 1),
                        Arbitraries.integers().between(0, w.scenario().later().table().days() - 1))
                .as((earlierLag, laterLag) -> new WithInsiders<>(new Lagged(w.scenario(), earlierLag, laterLag),
                        w.known())));
    }

    /** Revisions with one outreach account or two. */
    @Provide
    Arbitrary<WithInsiders<Revision>> revisionWithInsiders() {
        return revisions().flatMap(r -> known(r.later().areas()).list().ofMinSize(1).ofMaxSize(2)
                .map(k -> new WithInsiders<>(r, k)));
    }

    private static Arbitrary<Set<String>> known(List<String> areas) {
        return Arbitraries.subsetOf(areas).ofMinSize(1).ofMaxSize(areas.size() - 1);
    }

    /** An earlier release, then late reports added to it and the period extended by up to a week. */
    @Provide
    Arbitrary<Revision> revisions() {
        return scenarios().flatMap(s -> Combinators.combine(Arbitraries.integers().between(0, 7),
                        Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(0L)), Tuple.of(3, Arbitraries.longs().between(1, 3)),
                                Tuple.of(1, Arbitraries.longs().between(4, 9))).list().ofSize(s.counts().size()),
                        Arbitraries.integers().between(0, 1000))
                .as((extra, late, seed) -> new Revision(s, revise(s, extra, late, seed))));
    }

    private static Scenario revise(Scenario s, int extraDays, List<Long> late, int seed) {
        int oldDays = days(new LocalDate[] {s.first(), s.last()});
        int newDays = oldDays + extraDays;
        List<Long> counts = new ArrayList<>();
        java.util.Random newDayCounts = new java.util.Random(seed);
        for (int a = 0; a < s.areas().size(); a++) {
            for (int d = 0; d < newDays; d++) {
                counts.add(d < oldDays ? s.counts().get(a * oldDays + d) + late.get(a * oldDays + d)
                        : (long) newDayCounts.nextInt(8));
            }
        }
        return new Scenario(s.k(), s.areas(), s.first(), s.last().plusDays(extraDays), counts);
    }

    private static Arbitrary<LocalDate[]> periods() {
        Arbitrary<LocalDate[]> cut = Combinators.combine(
                        Arbitraries.integers().between(0, 365 * 3), Arbitraries.integers().between(3, 20))
                .as((offset, length) -> {
                    LocalDate start = LocalDate.of(2021, 1, 1).plusDays(offset);
                    return new LocalDate[] {start, start.plusDays(length - 1)};
                });
        Arbitrary<LocalDate[]> nested = Arbitraries.just(new LocalDate[] {LocalDate.of(2021, 2, 1), LocalDate.of(2021, 2, 28)});
        Arbitrary<LocalDate[]> straddling = Arbitraries.just(new LocalDate[] {LocalDate.of(2022, 1, 31), LocalDate.of(2022, 3, 6)});
        return Arbitraries.frequencyOf(Tuple.of(6, cut), Tuple.of(2, nested), Tuple.of(2, straddling));
    }

    private static Arbitrary<List<Long>> counts(int size) {
        return Arbitraries.frequencyOf(
                        Tuple.of(5, Arbitraries.just(0L)),
                        Tuple.of(3, Arbitraries.longs().between(1, 4)),
                        Tuple.of(3, Arbitraries.longs().between(5, 25)))
                .list().ofSize(size);
    }

    private static int days(LocalDate[] period) {
        return (int) java.time.temporal.ChronoUnit.DAYS.between(period[0], period[1]) + 1;
    }

    private static List<String> areaIds(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add("area-" + i);
        }
        return ids;
    }
}
