package lookout.dashboards;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.dashboards.ReleaseManifest.SignalPeriod;

/**
 * What an open-data release says, in the same words wherever it is said (the open-data page, the Atom feed, the
 * revision summary, the data dictionary), about a signal whose counts do not run to its last day: the coroner's,
 * whose reports come weeks or months after a death. A reader who sees fewer deaths in the latest weeks, or none,
 * must learn that they are not reported yet, not that deaths fell.
 */
public final class ReleaseWords {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

    private ReleaseWords() {}

    /** A day as the releases' texts write it: "28 July 2026". */
    public static String day(LocalDate d) {
        return DAY.format(d);
    }

    /** The sentences of {@link #signalPeriods(LocalDate, List, List)} for release {@code r}. */
    public static String signalPeriods(ReleaseManifest r) {
        return signalPeriods(r.periodEnd(), r.signalPeriods(), r.pendingSignals());
    }

    /**
     * One plain-text sentence for each signal whose counts end before {@code periodEnd}, the release's last day, and
     * one for each signal with no counts yet, each after a space to follow the sentence that gives the release's
     * period; empty when every signal runs to the last day.
     */
    public static String signalPeriods(LocalDate periodEnd, List<SignalPeriod> periods, List<PendingSignal> pending) {
        List<String> sentences = new ArrayList<>();
        for (SignalPeriod p : periods) {
            if (p.periodEnd().isBefore(periodEnd)) {
                sentences.add("Counts of " + AlertWords.signal(p.signal()) + " run to " + day(p.periodEnd())
                        + " only: later ones are still being reported.");
            }
        }
        pending.forEach(p -> sentences.add(notYet(p)));
        return sentences.stream().map(t -> " " + t).collect(Collectors.joining());
    }

    /** That a release has none of {@code p}'s counts, why, and from which release on it will. */
    public static String notYet(PendingSignal p) {
        String lag = p.lagDays() == 1 ? "1 day" : p.lagDays() + " days";
        return "This release has no counts of " + AlertWords.signal(p.signal()) + " yet: their reports come weeks or"
                + " months late, so each day's count is published " + lag + " after it, once most reports are in."
                + " They will appear in releases of counts through " + day(p.firstRelease()) + " and later.";
    }
}
