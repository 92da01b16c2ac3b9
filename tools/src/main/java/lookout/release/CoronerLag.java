package lookout.release;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import lookout.dashboards.ReleaseManifest.PendingSignal;
import lookout.detect.ReportingDelays;
import lookout.kernel.Signal;
import lookout.kernel.UsageException;

/**
 * How long the coroner signal's days wait before their first release. A suppressed area-day keeps the count it had
 * when first released in every later total (see {@link CellSuppressor}), and coroner reports come weeks or months
 * after a death, so a coroner day released at once would undercount its deaths in every later week, month and
 * all-areas total. Its cells therefore end {@code lag} days before the release's last day; the other signals'
 * reports come within days and end on it.
 */
final class CoronerLag {
    static final String SIGNAL = Signal.CORONER.code();
    /**
     * The default: the delay after which the nowcast takes every report to be in. Fixed rather than estimated from the
     * snapshot, so a reader can know in advance how far each release's coroner counts go; an estimate from a short or
     * sparse reporting triangle comes out too short exactly when it cannot see the longest delays yet, and a lag too
     * short undercounts for good while one too long only waits.
     */
    static final int DEFAULT_DAYS = ReportingDelays.MAX_DELAY_DAYS;
    /** Longer than a year is no longer a reporting delay but a different publication. */
    static final int MAX_DAYS = 365;
    /** The share of a day's reports that "most of its reports are in" means, for the operator's warning. */
    static final double MOST_REPORTS = 0.95;

    private CoronerLag() {}

    static int parse(String v) {
        try {
            int days = Integer.parseInt(v);
            if (days >= 0 && days <= MAX_DAYS) {
                return days;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--coroner-lag must be a whole number of days from 0 to " + MAX_DAYS);
    }

    /**
     * The coroner's last day in a release ending on {@code last}: {@code lag} days earlier, but never before the last
     * day earlier releases of {@code prior} published for it, since a release covers every earlier one (a lag made
     * longer keeps the days already published).
     */
    static LocalDate lastDay(LocalDate last, int lag, ReleaseLedger prior) {
        LocalDate lagged = last.minusDays(lag);
        LocalDate[] published = prior.range(SIGNAL);
        return published != null && published[1].isAfter(lagged) ? published[1] : lagged;
    }

    /** Each public signal's last day: {@code last}, the coroner's {@link #lastDay}. */
    static Map<String, LocalDate> lastDays(LocalDate last, int lag, ReleaseLedger prior) {
        Map<String, LocalDate> days = new LinkedHashMap<>();
        for (String signal : PublicRelease.PUBLIC_SIGNALS) {
            days.put(signal, signal.equals(SIGNAL) ? lastDay(last, lag, prior) : last);
        }
        return days;
    }

    /**
     * The coroner, when the snapshot has its counts ({@code present}) but the release holds none of its days
     * ({@code figures} has no coroner): the lag ends them before the release's first day. Its first day, {@code first},
     * is first published in the release whose last day is {@code lag} days after it. Empty otherwise.
     */
    static List<PendingSignal> pending(boolean present, List<PublicRelease.SignalFigures> figures, LocalDate first,
            int lag) {
        boolean released = figures.stream().anyMatch(f -> f.signal().equals(SIGNAL));
        return present && !released ? List.of(new PendingSignal(SIGNAL, lag, first.plusDays(lag))) : List.of();
    }

    /**
     * The youngest age, in days, at which the estimated share of a day's reports in reaches {@link #MOST_REPORTS};
     * empty without reports.
     */
    static OptionalInt mostReportsIn(ReportingDelays delays) {
        if (delays.total() == 0) {
            return OptionalInt.empty();
        }
        double[] share = delays.shareReported();
        int age = 0;
        while (share[age] < MOST_REPORTS) {
            age++;
        }
        return OptionalInt.of(age);
    }
}
