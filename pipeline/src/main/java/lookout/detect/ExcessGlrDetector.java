package lookout.detect;

import java.util.Locale;
import java.util.function.IntToDoubleFunction;

/**
 * The low-count detector: a generalized likelihood ratio test for "an outbreak has been adding extra cases every day
 * for the last 1..7 days", against the area's seasonal baseline. Made for neighbourhoods with 0-2 events a day,
 * where EARS' mean-plus-sd rule fails, and works as well at higher counts.
 *
 * <p>For each outbreak size k (extra cases per day = k times the baseline's usual day-to-day spread) and each
 * window of the last L days, the log likelihood ratios of the days are summed; the statistic is the largest sum.
 * It alarms when the statistic exceeds {@code h} (for a heavy-tailed baseline, under which the statistic falls again
 * as today's count grows, when that of today's count or of a smaller one does). This is the documented knob for
 * false alarms: for any one window and size, the chance that a likelihood ratio exceeds e^h when nothing is
 * happening is at most e^-h (Markov's inequality); the rate measured on the benchmark is in docs/DETECTION.md. After
 * an alarm the detector restarts: days up to the alarm do not count again, so one burst of cases raises one alarm,
 * not a week of them.
 *
 * <p>The baseline ({@link SeasonalBaseline}) is fitted on up to {@link #FIT_DAYS} days ending {@link #GUARD} days
 * before today, so the first week of an outbreak does not raise its own expectation.
 */
public final class ExcessGlrDetector implements DailyDetector {
    private static final long serialVersionUID = 1L;

    public static final int GUARD = 7;
    public static final int FIT_DAYS = 728;
    /** A baseline needs four weeks of counts to say anything about weekdays. */
    public static final int MIN_FIT_DAYS = 28;
    public static final int MAX_WINDOW = 7;
    /** Outbreak sizes tried, in usual standard deviations of extra cases per day. */
    public static final double[] SIZES = {1.5, 2, 3, 4, 5};
    private static final int MAX_SEARCH = 100_000;
    /** How many counts from 0 a heavy-tailed baseline's bound is scanned over at most (see judgeHeavyTailed). */
    private static final int SCAN_COUNTS = 256;
    /**
     * A fitted expectation never says less than half an event over the days fitted (the Jeffreys prior's 0 + 1/2,
     * as the intraday warning's): fitted on weeks of zeros alone, the model expects about 1e-12 a day, and an
     * area's first event ever would alone be an alarm. With the floor, after four weeks of zeros three events in a
     * day alarm, after two years two.
     */
    static final double FLOOR_EVENTS = 0.5;

    private final String name;
    private final double h;
    private final double[] sizes;

    public ExcessGlrDetector(String setting, double h) {
        this(setting, h, SIZES);
    }

    public ExcessGlrDetector(String setting, double h, double[] sizes) {
        if (!(h > 0) || sizes.length == 0) {
            throw new IllegalArgumentException("threshold h must be positive and at least one size given");
        }
        this.name = "excessglr_" + setting;
        this.h = h;
        this.sizes = sizes.clone();
    }

    @Override
    public String method() {
        return name;
    }

    public double threshold() {
        return h;
    }

    @Override
    public int historyDays() {
        return GUARD + FIT_DAYS;
    }

    @Override
    public int minHistoryDays() {
        return GUARD + MIN_FIT_DAYS;
    }

    @Override
    public DailyVerdict evaluate(DailyHistory hist) {
        int t = hist.t();
        int to = t - GUARD;
        int from = Math.max(0, to - FIT_DAYS);
        if (to - from < MIN_FIT_DAYS) {
            return noOpinion(hist);
        }
        SeasonalBaseline baseline = SeasonalBaseline.fit(hist.counts(), from, to, t, hist.dayOfWeek());
        double floor = FLOOR_EVENTS / (to - from);
        return judge(hist, d -> Math.max(floor, baseline.mean(d)), baseline.phi());
    }

    /**
     * Judges day {@code t} against a given expectation per day and dispersion: the fitted baseline's in service,
     * the generating process's in the benchmark oracle ({@code lookout.evaluate.BenchmarkOracle}).
     */
    public DailyVerdict judge(DailyHistory hist, IntToDoubleFunction mean, double phi) {
        int t = hist.t();
        int earliest = Math.max(t - MAX_WINDOW + 1, hist.lastAlarm() == DailyHistory.NO_ALARM
                ? Integer.MIN_VALUE : hist.lastAlarm() + 1);
        double muT = mean.applyAsDouble(t);
        if (!Double.isFinite(muT) || !Double.isFinite(phi)) {
            // A fit that diverged (a corrupt series) says nothing: a NaN statistic would pass for a bound.
            return noOpinion(hist);
        }
        // The expectation of each day of the window, asked once for all sizes.
        double[] mus = new double[Math.max(0, t - earliest)];
        for (int d = t - 1; d >= earliest; d--) {
            mus[t - 1 - d] = mean.applyAsDouble(d);
        }
        // prior[k] = best sum over windows that end yesterday and may be extended to today (0 = start today).
        double[] prior = new double[sizes.length];
        for (int k = 0; k < sizes.length; k++) {
            double suffix = 0;
            for (int d = t - 1; d >= earliest; d--) {
                double mu = mus[t - 1 - d];
                suffix += ExcessLikelihood.logRatio(hist.counts()[d], mu, phi, sizes[k] * Math.sqrt(phi * mu));
                prior[k] = Math.max(prior[k], suffix);
            }
        }
        int y = hist.counts()[t];
        if (!ExcessLikelihood.growsWithCount(muT, phi)) {
            return judgeHeavyTailed(y, muT, phi, prior);
        }
        double stat = statistic(y, muT, phi, prior);
        return new DailyVerdict(y, muT, largestQuietCount(muT, phi, prior, -1), stat > h, stat);
    }

    private static DailyVerdict noOpinion(DailyHistory hist) {
        return new DailyVerdict(hist.counts()[hist.t()], Double.NaN, Double.NaN, false, Double.NaN);
    }

    private double statistic(int y, double mu, double phi, double[] prior) {
        double best = 0;
        for (int k = 0; k < sizes.length; k++) {
            best = Math.max(best, prior[k] + ExcessLikelihood.logRatio(y, mu, phi, sizes[k] * Math.sqrt(phi * mu)));
        }
        return best;
    }

    /**
     * Where r = mu / (phi - 1) &lt; 1 the statistic falls again past small counts (a large count is the heavy tail's
     * more than an excess's), yet more events are never less evidence of a spike: the verdict follows the statistic's
     * running maximum over counts 0..y. A day alarms when its count is at least the smallest count whose statistic
     * exceeds h, the bound is that count minus one (infinite when no count's does) and the score is the maximum.
     *
     * <p>Counts are scanned up from 0, and the scan ends as soon as no larger count can change the answers: past count
     * c every size's ratio is at most its ratio at c plus {@link ExcessLikelihood#logLaterTerms}, a bound that falls
     * faster than geometrically once c passes delta / q, a few usual standard deviations. So the scan stops within a
     * few counts of the bound, or of today's count when that alarms. Only a statistic within a hair of h as counts
     * grow (or an excess of hundreds of cases) keeps the bound undecided for {@link #SCAN_COUNTS} counts; counts past
     * those are searched as if the statistic grew with them, as everywhere else.
     */
    private DailyVerdict judgeHeavyTailed(int y, double mu, double phi, double[] prior) {
        double[] ratios = new double[sizes.length];
        double runningMax = 0;
        double previous = Double.POSITIVE_INFINITY;
        int firstAlarm = -1;
        for (int c = 0; c < SCAN_COUNTS; c++) {
            double stat = 0;
            for (int k = 0; k < sizes.length; k++) {
                ratios[k] = ExcessLikelihood.logRatio(c, mu, phi, sizes[k] * Math.sqrt(phi * mu));
                stat = Math.max(stat, prior[k] + ratios[k]);
            }
            if (c <= y) {
                runningMax = Math.max(runningMax, stat);
            }
            if (firstAlarm < 0 && stat > h) {
                firstAlarm = c;
            }
            boolean boundKnown = firstAlarm >= 0;
            boolean scoreKnown = c >= y;
            // Stopping later changes no answer, so the bound on later counts (five incomplete gamma functions) is
            // tried only at 0 and where the statistic has stopped rising: while it rises, it seldom ends the scan.
            if (!(boundKnown && scoreKnown) && stat <= previous) {
                double later = laterBound(c, mu, phi, prior, ratios);
                boundKnown |= later <= h;
                scoreKnown |= later <= runningMax;
            }
            previous = stat;
            if (boundKnown && scoreKnown) {
                double bound = firstAlarm < 0 ? Double.POSITIVE_INFINITY : firstAlarm - 1;
                return new DailyVerdict(y, mu, bound, firstAlarm >= 0 && y >= firstAlarm, runningMax);
            }
        }
        double bound = firstAlarm >= 0 ? firstAlarm - 1 : largestQuietCount(mu, phi, prior, SCAN_COUNTS - 1);
        double score = y < SCAN_COUNTS ? runningMax : Math.max(runningMax, statistic(y, mu, phi, prior));
        return new DailyVerdict(y, mu, bound, y > bound, score);
    }

    /** At least the statistic of every count from c up, where r &lt; 1, given each size's log ratio at c. */
    private double laterBound(int c, double mu, double phi, double[] prior, double[] ratios) {
        double best = 0;
        for (int k = 0; k < sizes.length; k++) {
            double later = ExcessLikelihood.logLaterTerms(c, mu, phi, sizes[k] * Math.sqrt(phi * mu));
            double sum = Math.max(ratios[k], later) + Math.log1p(Math.exp(-Math.abs(ratios[k] - later)));
            best = Math.max(best, prior[k] + sum);
        }
        return best;
    }

    /**
     * The last count that does not alarm, above {@code quietUpTo}, where the statistic grows with today's count
     * (only its counts from {@code quietUpTo} up, for a heavy-tailed baseline's that the scan left undecided).
     */
    private double largestQuietCount(double mu, double phi, double[] prior, int quietUpTo) {
        int lo = quietUpTo;
        int hi = Math.max(Math.max(16, (int) Math.ceil(4 * mu)), 2 * (quietUpTo + 1));
        while (statistic(hi, mu, phi, prior) <= h) {
            // Checked before doubling: an expectation past 5e8 starts the search at the largest int, which wraps.
            if (hi > MAX_SEARCH / 2) {
                return Double.POSITIVE_INFINITY;
            }
            lo = hi;
            hi *= 2;
        }
        // hi - 1 > lo, as hi - lo overflows between -1 and the largest int.
        while (hi - 1 > lo) {
            int mid = (lo + hi) >>> 1;
            if (statistic(mid, mu, phi, prior) > h) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return lo;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s(h=%s)", name, h);
    }
}
