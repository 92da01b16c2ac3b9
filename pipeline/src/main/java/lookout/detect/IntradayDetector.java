package lookout.detect;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

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

    private final int windowHours;
    private final int baselineDays;
    private final int minBaselineDays;
    private final double alpha;
    /**
     * Upper bounds by baseline (days, sum, sum of squares): the bound only changes when the baseline does, at
     * hour boundaries, but evaluate runs on every event and each bound costs a search over Beta functions.
     */
    private transient Map<BaselineKey, Integer> bounds;

    private record BaselineKey(int days, double sum, double sumSq) {}

    public IntradayDetector(int windowHours, int baselineDays, double alpha) {
        if (windowHours < 1 || windowHours > 24 || baselineDays < 2) {
            throw new IllegalArgumentException("window must be 1..24 hours and the baseline at least 2 days");
        }
        this.windowHours = windowHours;
        this.baselineDays = baselineDays;
        this.minBaselineDays = Math.min(7, baselineDays);
        this.alpha = alpha;
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

    /**
     * Judges the window ending with {@code hour} (the hour of the event just counted). The verdict's upperbound
     * is the largest window count that would not fire; NaN (no opinion) until a week of history exists. The score
     * (-log10 of the window's tail probability) is worked out only for a window that fires, the one use of it: this
     * runs on every event, and each tail is a Beta function.
     */
    public DailyVerdict evaluate(HourlyCounts counts, long hour) {
        int observed = counts.sum(hour, windowHours);
        int days = 0;
        double sum = 0;
        double sumSq = 0;
        for (int j = 1; j <= baselineDays; j++) {
            long end = hour - 24L * j;
            if (end - windowHours + 1 < counts.first) {
                break;
            }
            int b = counts.sum(end, windowHours);
            days++;
            sum += b;
            sumSq += (double) b * b;
        }
        if (days < minBaselineDays) {
            return new DailyVerdict(observed, Double.NaN, Double.NaN, false, Double.NaN);
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
        int ub = bounds.computeIfAbsent(new BaselineKey(days, sum, sumSq), k -> upperBound(size, p));
        if (observed <= ub) {
            return new DailyVerdict(observed, mean, ub, false, Double.NaN);
        }
        return new DailyVerdict(observed, mean, ub, true, -Math.log10(upperTail(observed, size, p)));
    }

    private int upperBound(double size, double p) {
        int ub = 0;
        while (upperTail(ub + 1, size, p) >= alpha) {
            ub++;
        }
        return ub;
    }

    /** P(Y >= c) for a negative binomial with this size and success probability p (mean size (1-p)/p). */
    static double upperTail(int c, double size, double p) {
        if (c <= 0) {
            return 1;
        }
        return Beta.regularizedBeta(1 - p, c, size);
    }
}
