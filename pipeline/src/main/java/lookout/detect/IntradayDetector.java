package lookout.detect;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.HashMap;
import java.util.Map;

import org.apache.commons.math3.distribution.NormalDistribution;
import org.apache.commons.math3.special.Beta;

/**
 * Intraday early warning, judged on every event: the count of the trailing window (24 h by default) against the
 * same hours of the previous days. It fires on the event that pushes the window past its bound, not when a day
 * or window closes, so outreach hears of a cluster within hours.
 *
 * <p>The bound comes from the posterior predictive of a Poisson rate learnt from the previous days' same-hours
 * windows (a negative binomial with size = cases in those windows + 1/2 and p = days / (days + 1)), widened by
 * their overdispersion when they vary more than Poisson. For areas with a handful of events a month this is what
 * keeps a rate estimated from three events from alarming on the fourth. {@code alpha} is the chance that a quiet
 * window exceeds the bound; it is the documented false-alarm knob.
 */
public final class IntradayDetector implements Serializable {
    private static final int MAX_CACHED_BOUNDS = 100_000;
    private static final long serialVersionUID = 1L;
    private static final long SECONDS_PER_HOUR = 3600;
    private static final long SECONDS_PER_DAY = 86_400;

    private final int windowHours;
    private final int baselineDays;
    private final int minBaselineDays;
    private final double alpha;
    /** The standard normal quantile of 1 - alpha, where the search for a bound starts (see upperBound). */
    private final double z;
    /**
     * Upper bounds by baseline (days, sum, sum of squares): the bound only changes when the baseline does, at
     * hour boundaries, but evaluate runs on every event and each bound costs a search over Beta functions.
     */
    private transient Map<BaselineKey, Integer> bounds;

    /** The baseline days' window counts, filled on every evaluation (the detector is used by one thread). */
    private transient int[] windows;

    /** The baseline last judged, kept for the next event of the same key in the same hour. */
    private transient Baseline baseline;

    /** The hours ending the previous days' windows, for {@link #dayEndsHour} in {@link #dayEndsZone}. */
    private transient long[] dayEnds;
    private transient long dayEndsHour;
    private transient ZoneId dayEndsZone;
    /** {@link #changeZone}'s last clock change before each second of ({@link #changeFrom}, {@link #changeUntil}]. */
    private transient ZoneOffsetTransition change;
    private transient long changeFrom;
    private transient long changeUntil;
    private transient ZoneId changeZone;

    /** Exact integer sums: a record of doubles hashes whole numbers badly (their low bits are all zero). */
    private record BaselineKey(int days, long sum, long sumSq) {}

    public IntradayDetector(int windowHours, int baselineDays, double alpha) {
        if (windowHours < 1 || windowHours > 24 || baselineDays < 2) {
            throw new IllegalArgumentException("window must be 1..24 hours and the baseline at least 2 days");
        }
        this.windowHours = windowHours;
        this.baselineDays = baselineDays;
        this.minBaselineDays = Math.min(7, baselineDays);
        this.alpha = alpha;
        this.z = new NormalDistribution().inverseCumulativeProbability(1 - alpha);
    }

    public String method() {
        return "intraday_" + windowHours + "h";
    }

    /** The chance that a quiet window exceeds the bound. */
    public double alpha() {
        return alpha;
    }

    /** The same window and baseline with another false-alarm knob (for the evaluation's sweeps). */
    public IntradayDetector withAlpha(double a) {
        return new IntradayDetector(windowHours, baselineDays, a);
    }

    public int windowHours() {
        return windowHours;
    }

    /** Hours of history the detector reads: the window plus the same window on each baseline day. */
    public int capacityHours() {
        return baselineDays * 24 + windowHours;
    }

    /** As {@link #evaluate(HourlyCounts, long, ZoneId)} where the clocks never change. */
    public DailyVerdict evaluate(HourlyCounts counts, long hour) {
        return evaluate(counts, hour, ZoneOffset.UTC);
    }

    /**
     * Judges the window ending with {@code hour} (the hour of the event just counted) against the same local hours
     * of the previous days in {@code zone}. The verdict's upperbound is the largest window count that would not
     * fire; NaN (no opinion) until a week of history exists. The score (-log10 of the window's tail probability) is
     * worked out only for a window that fires, the one use of it: this runs on every event, and each tail is a Beta
     * function.
     */
    public DailyVerdict evaluate(HourlyCounts counts, long hour, ZoneId zone) {
        int observed = counts.sum(hour, windowHours);
        Baseline b = baseline;
        if (b == null) {
            b = new Baseline();
            baseline = b;
        }
        if (!b.holds(counts, hour)) {
            judgeBaseline(counts, hour, previousDays(hour, zone), b);
        }
        if (b.days < minBaselineDays) {
            return new DailyVerdict(observed, Double.NaN, Double.NaN, false, Double.NaN);
        }
        if (observed <= b.bound) {
            return new DailyVerdict(observed, b.mean, b.bound, false, Double.NaN);
        }
        return new DailyVerdict(observed, b.mean, b.bound, true, -Math.log10(upperTail(observed, b.size, b.p)));
    }

    /**
     * The hours that end the same local hours as {@code hour} on each of the previous days: 24 hours apart, except
     * across a clock change, which moves the days before it by the change (after the clocks go back, 22:00 the day
     * before is 25 hours of UTC before 22:00 the day after, not 24). Days more than a day from the change are moved by
     * arithmetic, the few nearer by the zone's own rules. Kept for the next key judged in the same hour.
     */
    long[] previousDays(long hour, ZoneId zone) {
        if (dayEnds != null && hour == dayEndsHour && zone.equals(dayEndsZone)) {
            return dayEnds;
        }
        long[] ends = dayEnds == null ? new long[baselineDays] : dayEnds;
        long startSecond = hour * SECONDS_PER_HOUR;
        ZoneOffsetTransition previous = lastChange(zone, startSecond + 1);
        long changeSecond = previous == null ? Long.MIN_VALUE : previous.getInstant().getEpochSecond();
        long movedSeconds = previous == null ? 0
                : previous.getOffsetAfter().getTotalSeconds() - previous.getOffsetBefore().getTotalSeconds();
        // A change of part of an hour (Lord Howe's half hour) moves the hours' bounds: the rules decide every day.
        long exactFrom = movedSeconds % SECONDS_PER_HOUR == 0 ? changeSecond - SECONDS_PER_DAY : Long.MIN_VALUE;
        ZonedDateTime local = null;
        for (int j = 0; j < baselineDays; j++) {
            long end = hour - 24L * (j + 1);
            long endSecond = end * SECONDS_PER_HOUR;
            if (endSecond < exactFrom) {
                end += movedSeconds / SECONDS_PER_HOUR;
            } else if (endSecond < changeSecond + SECONDS_PER_DAY) {
                local = local == null ? Instant.ofEpochSecond(startSecond).atZone(zone) : local;
                end = Math.floorDiv(local.minusDays(j + 1).toEpochSecond(), SECONDS_PER_HOUR);
            }
            ends[j] = end;
        }
        dayEnds = ends;
        dayEndsHour = hour;
        dayEndsZone = zone;
        return ends;
    }

    /**
     * The zone's last clock change before {@code second}, or null; kept with the span of seconds for which it is the
     * last, since the zone's rules take half a microsecond to ask and a backfill asks for every key and hour.
     */
    private ZoneOffsetTransition lastChange(ZoneId zone, long second) {
        if (zone.equals(changeZone) && second > changeFrom && second <= changeUntil) {
            return change;
        }
        Instant at = Instant.ofEpochSecond(second);
        change = zone.getRules().previousTransition(at);
        ZoneOffsetTransition next = zone.getRules().nextTransition(at);
        changeFrom = change == null ? Long.MIN_VALUE : change.getInstant().getEpochSecond();
        changeUntil = next == null ? Long.MAX_VALUE : next.getInstant().getEpochSecond();
        changeZone = zone;
        return change;
    }

    /** Sums the baseline of the windows ending at {@code ends} and finds its bound, into {@code b}. */
    private void judgeBaseline(HourlyCounts counts, long hour, long[] ends, Baseline b) {
        int days = 0;
        long oldest = Math.max(counts.first, counts.oldestKept());
        while (days < baselineDays && ends[days] - windowHours + 1 >= oldest) {
            days++;
        }
        if (windows == null) {
            windows = new int[baselineDays];
        }
        counts.sums(ends, windowHours, days, windows);
        double sum = 0;
        double sumSq = 0;
        long exactSum = 0;
        long exactSumSq = 0;
        for (int j = 0; j < days; j++) {
            int w = windows[j];
            sum += w;
            sumSq += (double) w * w;
            exactSum += w;
            exactSumSq += (long) w * w;
        }
        b.remember(counts, hour, ends[0], days);
        if (days < minBaselineDays) {
            return;
        }
        double mean = sum / days;
        double var = days > 1 ? (sumSq - days * mean * mean) / (days - 1) : mean;
        double phi = mean > 0 ? Math.max(1, var / mean) : 1;
        double size = sum / phi + 0.5;
        double effectiveDays = days / phi;
        double p = effectiveDays / (effectiveDays + 1);
        if (bounds == null || bounds.size() > MAX_CACHED_BOUNDS) {
            bounds = new HashMap<>();
        }
        b.mean = mean;
        b.size = size;
        b.p = p;
        b.bound = bounds.computeIfAbsent(new BaselineKey(days, exactSum, exactSumSq), k -> upperBound(size, p));
    }

    /**
     * The largest count whose tail is at least alpha: one below the first count c >= 1 whose tail is below it. The
     * tail falls as c grows, so that first count is found by stepping from a guess rather than from zero, a Beta
     * function per step: the guess, the Cornish-Fisher quantile of the negative binomial, is within a step or two.
     */
    int upperBound(double size, double p) {
        int c = guess(size, p);
        if (upperTail(c, size, p) < alpha) {
            while (c > 1 && upperTail(c - 1, size, p) < alpha) {
                c--;
            }
        } else {
            do {
                c++;
            } while (upperTail(c, size, p) >= alpha);
        }
        return c - 1;
    }

    /** The 1 - alpha quantile of the negative binomial by its mean, spread and skew, plus one; at least 1. */
    private int guess(double size, double p) {
        double mean = size * (1 - p) / p;
        double sd = Math.sqrt(mean / p);
        double skew = (2 - p) / Math.sqrt(size * (1 - p));
        double q = mean + sd * (z + (z * z - 1) * skew / 6);
        return q >= 1 && q < 1e6 ? (int) q + 1 : 1;
    }

    /** P(Y >= c) for a negative binomial with this size and success probability p (mean size (1-p)/p). */
    static double upperTail(int c, double size, double p) {
        if (c <= 0) {
            return 1;
        }
        return Beta.regularizedBeta(1 - p, c, size);
    }

    /**
     * The baseline of the window ending at one hour of one key's counts: within an hour, the events of a key share
     * their window's end and so its baseline (the same hours of the days before). It holds while the counts are the
     * same object, with the same newest and first hours, and the same running total through the baseline's last
     * hour: an event at or before that hour (late, out of order) changes the total, one after it cannot change the
     * baseline, and a newer hour moves the ring. Counts read back from serialized state are new objects each time
     * and are judged afresh.
     */
    private static final class Baseline {
        private HourlyCounts counts;
        private long hour;
        /** The newest hour the baseline's windows read: an event counted at or before it changes them. */
        private long latestEnd;
        private long newest;
        private long first;
        private int total;
        int days;
        double mean;
        double size;
        double p;
        int bound;

        boolean holds(HourlyCounts c, long h) {
            return c == counts && h == hour && c.newest == newest && c.first == first
                    && c.totalThrough(latestEnd) == total;
        }

        void remember(HourlyCounts c, long h, long end, int d) {
            counts = c;
            hour = h;
            latestEnd = end;
            newest = c.newest;
            first = c.first;
            total = c.totalThrough(end);
            days = d;
        }
    }
}
