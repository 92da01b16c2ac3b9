package lookout.dashboards;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.dashboards.ReleaseManifest.SignalPeriod;

/**
 * What an open-data release says, in the same words wherever it is said (the open-data page, the Atom feed, the
 * releases API, the revision summary, the data dictionary), about a signal whose counts do not run to its last day:
 * the coroner's, whose reports come weeks or months after a death. A reader who sees fewer deaths in the latest
 * weeks, or none, must learn that they are not reported yet, not that deaths fell; one comparing two releases, which
 * of those days are new.
 */
public final class ReleaseWords {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_OF_MONTH = DateTimeFormatter.ofPattern("d", Locale.ENGLISH);
    private static final DateTimeFormatter DAY_AND_MONTH = DateTimeFormatter.ofPattern("d MMMM", Locale.ENGLISH);

    private ReleaseWords() {}

    /** A day as the releases' texts write it: "28 July 2026". */
    public static String day(LocalDate d) {
        return DAY.format(d);
    }

    /**
     * The sentences said of release {@code r} after its period, on its page, in its feed entry and in the releases
     * API: those of {@link #signalNotes} and, when its previous release is among {@code all}, of
     * {@link #previousRelease}. A previous release not listed (its manifest damaged) is left unsaid.
     */
    public static List<String> notes(ReleaseManifest r, List<ReleaseManifest> all) {
        List<String> notes = new ArrayList<>(signalNotes(r.periodEnd(), r.signalPeriods(), r.pendingSignals()));
        all.stream().filter(p -> p.id().equals(r.previous())).findFirst()
                .ifPresent(p -> notes.add(previousRelease(p, r.signalPeriods())));
        return notes;
    }

    /** {@code sentences} each after a space, to follow the sentence that gives a release's period. */
    public static String afterSpaces(List<String> sentences) {
        return sentences.stream().map(t -> " " + t).collect(Collectors.joining());
    }

    /** The sentences of {@link #signalNotes}, each after a space (see {@link #afterSpaces}). */
    public static String signalPeriods(LocalDate periodEnd, List<SignalPeriod> periods, List<PendingSignal> pending) {
        return afterSpaces(signalNotes(periodEnd, periods, pending));
    }

    /**
     * One plain-text sentence for each signal whose counts end before {@code periodEnd}, the release's last day, and
     * one for each signal with no counts yet; empty when every signal runs to the last day.
     */
    private static List<String> signalNotes(LocalDate periodEnd, List<SignalPeriod> periods,
            List<PendingSignal> pending) {
        List<String> sentences = new ArrayList<>();
        for (SignalPeriod p : periods) {
            if (p.periodEnd().isBefore(periodEnd)) {
                sentences.add("Counts of " + AlertWords.signal(p.signal()) + " run to " + day(p.periodEnd())
                        + " only: later ones are still being reported.");
            }
        }
        pending.forEach(p -> sentences.add(notYet(p)));
        return sentences;
    }

    /** That a release has none of {@code p}'s counts, why, and from which release on it will. */
    public static String notYet(PendingSignal p) {
        String lag = p.lagDays() == 1 ? "1 day" : p.lagDays() + " days";
        return "This release has no counts of " + AlertWords.signal(p.signal()) + " yet: their reports come weeks or"
                + " months late, so each day's count is published " + lag + " after it, once most reports are in."
                + " They will appear in releases of counts through " + day(p.firstRelease()) + " and later.";
    }

    /**
     * The period of {@code previous}, the release before one whose signals have {@code periods}, and, for each signal
     * that ended before its last day or had no counts yet, where it ended and which of its days this release
     * publishes for the first time: "The previous release, 2026-02-21, covered 1 January 2026 to 21 February 2026,
     * its suspected overdose deaths to 24 January 2026, so those from 25 to 31 January 2026 are published for the
     * first time." A signal that ran to the previous release's last day needs no clause; nor does any signal of a
     * manifest written before signals had periods of their own, which gives the period alone.
     */
    public static String previousRelease(ReleaseManifest previous, List<SignalPeriod> periods) {
        StringBuilder b = new StringBuilder("The previous release, ").append(previous.id()).append(", covered ")
                .append(day(previous.periodStart())).append(" to ").append(day(previous.periodEnd()));
        periods.forEach(now -> newDays(previous, now).ifPresent(b::append));
        return b.append('.').toString();
    }

    /** The clause of {@link #previousRelease} for the signal of {@code now}, if it ran late in {@code previous}. */
    private static Optional<String> newDays(ReleaseManifest previous, SignalPeriod now) {
        String signal = AlertWords.signal(now.signal());
        if (previous.pendingSignals().stream().anyMatch(p -> p.signal().equals(now.signal()))) {
            return Optional.of(", with no " + signal + " yet, so "
                    + firstPublished(now.periodStart(), now.periodEnd()));
        }
        return previous.signalPeriods().stream()
                .filter(p -> p.signal().equals(now.signal()) && p.periodEnd().isBefore(previous.periodEnd()))
                .findFirst().map(p -> ", its " + signal + " to " + day(p.periodEnd()) + ", so "
                        + firstPublished(p.periodEnd().plusDays(1), now.periodEnd()));
    }

    /**
     * That the days {@code from} to {@code to} are published for the first time, or, when {@code to} is before
     * {@code from} (the signal ends where it ended before), that no day is.
     */
    private static String firstPublished(LocalDate from, LocalDate to) {
        return (to.isBefore(from) ? "no day of them is" : "those " + span(from, to) + " are")
                + " published for the first time";
    }

    /** Days {@code from} to {@code to}, naming their month and year once: "from 25 to 31 January 2026". */
    static String span(LocalDate from, LocalDate to) {
        if (from.equals(to)) {
            return "of " + day(to);
        }
        DateTimeFormatter start = from.getYear() != to.getYear() ? DAY
                : from.getMonth() != to.getMonth() ? DAY_AND_MONTH : DAY_OF_MONTH;
        return "from " + start.format(from) + " to " + day(to);
    }
}
