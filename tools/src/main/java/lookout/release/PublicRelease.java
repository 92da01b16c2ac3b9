package lookout.release;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import lookout.kernel.Signal;


/**
 * One public release: every public signal protected by {@link CellSuppressor} against the same ledger.
 * Only the sources' signals are public ({@link Signal#isPublic}). The derived "combined" signal stays restricted:
 * it equals the sum of the sources it is counted from ({@link Signal#countedFrom}) minus the people linked across
 * them, so publishing it beside them would publish that difference, a count of linked people that no suppression
 * decision ever saw.
 */
public final class PublicRelease {
    /** Signals the public tier publishes, in file order. */
    public static final List<String> PUBLIC_SIGNALS = Signal.publicSignals().stream().map(Signal::code).toList();

    /**
     * Figures for one signal, for the policy file and the command's summary; {@code first..last} is the signal's
     * period (the coroner's may end earlier than the others', see {@link CoronerLag}).
     */
    public record SignalFigures(String signal, LocalDate first, LocalDate last, int cells, int primary,
            int carriedOver, int complementary, int forInsiders, int witnesses) {
        /** Every withheld cell, whatever the reason: all that a public file may say of them. */
        public int withheld() {
            return primary + carriedOver + complementary;
        }
    }

    /**
     * Cells of {@code signal} withheld by earlier releases that outreach account {@code account}, given its areas
     * only later, may pin down from its own counts and those releases: no witness was found that hides them without
     * un-publishing a cell.
     */
    public record Unhidden(String account, String signal, int cells) {}

    private final List<PublicCell> cells;
    private final ReleaseLedger ledger;
    private final List<SignalFigures> figures;
    private final int insiders;
    private final List<Unhidden> unhidden;

    private PublicRelease(List<PublicCell> cells, ReleaseLedger ledger, List<SignalFigures> figures, int insiders,
            List<Unhidden> unhidden) {
        this.cells = List.copyOf(cells);
        this.ledger = ledger;
        this.figures = List.copyOf(figures);
        this.insiders = insiders;
        this.unhidden = List.copyOf(unhidden);
    }

    /** As below, for a snapshot the dashboards served through the release's last day. */
    public static PublicRelease build(Map<String, DailyCounts> bySignal, int k, ReleaseLedger prior,
            Optional<List<Insider>> given) {
        LocalDate last = bySignal.values().stream().map(DailyCounts::last).max(Comparator.naturalOrder())
                .orElseThrow(() -> new IllegalArgumentException("no signal to release"));
        return build(bySignal, k, prior, given, last);
    }

    /**
     * Protects each signal's counts with minimum cell size {@code k}, from the public and from every outreach account
     * of the ledger, with the accounts of {@code given} (the users file, if one was given) recorded in it first as
     * having seen counts through {@code seenThrough} (see {@link ReleaseLedger#recordInsiders}). {@code prior} is not
     * modified; the ledger to keep for the next release is {@link #ledger()}.
     *
     * @throws IllegalStateException when this release cannot be made consistent with an earlier one (see
     *     {@link CellSuppressor#protect})
     */
    public static PublicRelease build(Map<String, DailyCounts> bySignal, int k, ReleaseLedger prior,
            Optional<List<Insider>> given, LocalDate seenThrough) {
        requireCoversLedger(bySignal, prior);
        ReleaseLedger next = prior.copy();
        next.recordInsiders(given, seenThrough);
        int views = 0;
        List<PublicCell> cells = new ArrayList<>();
        List<SignalFigures> figures = new ArrayList<>();
        List<Unhidden> unhidden = new ArrayList<>();
        for (Map.Entry<String, DailyCounts> e : new LinkedHashMap<>(bySignal).entrySet()) {
            DailyCounts counts = e.getValue();
            CellSuppressor.Outcome o = CellSuppressor.protect(e.getKey(), counts, k, next);
            cells.addAll(o.cells());
            figures.add(new SignalFigures(e.getKey(), counts.first(), counts.last(), o.cells().size(),
                    o.primarySuppressions(), o.carriedSuppressions(), o.complementarySuppressions(), o.forInsiders(),
                    o.witnesses()));
            o.unhidden().forEach((account, n) -> unhidden.add(new Unhidden(account, e.getKey(), n)));
            views = Math.max(views, o.views());
        }
        return new PublicRelease(cells, next, figures, views, unhidden);
    }

    /**
     * A cell released earlier but missing from this release's grid could still constrain the days this release
     * covers, so a release period may only grow; and an all-areas total means the same areas in every release. A
     * signal released earlier with no count now is most likely a snapshot without its feed: left out, the release
     * would publish none of it without a word, and the revision log would withdraw its every cell.
     */
    private static void requireCoversLedger(Map<String, DailyCounts> bySignal, ReleaseLedger prior) {
        for (String signal : prior.signals()) {
            LocalDate[] range = prior.range(signal);
            DailyCounts counts = bySignal.get(signal);
            if (counts == null) {
                throw new IllegalStateException("the earlier releases published " + signal + " counts for " + range[0]
                        + ".." + range[1] + ", but this snapshot holds none: release from the snapshot they came from"
                        + " or a later one");
            }
            if (range[0].isBefore(counts.first()) || range[1].isAfter(counts.last())) {
                throw new IllegalStateException("the release period " + counts.first() + ".." + counts.last()
                        + " does not cover the earlier releases' period " + range[0] + ".." + range[1]);
            }
            if (!prior.areas(signal).equals(new TreeSet<>(counts.areas()))) {
                throw new IllegalStateException("the set of areas changed since the earlier releases, so their"
                        + " all-areas totals no longer add up the same areas; start a new release ledger");
            }
        }
    }

    public List<PublicCell> cells() {
        return cells;
    }

    public ReleaseLedger ledger() {
        return ledger;
    }

    public List<SignalFigures> figures() {
        return figures;
    }

    /**
     * How many insiders (outreach accounts given now or to earlier releases, those with the same areas counted once)
     * it was protected from besides the public; accounts that know no area or every area are not counted.
     */
    public int insiders() {
        return insiders;
    }

    public List<Unhidden> unhidden() {
        return unhidden;
    }
}
