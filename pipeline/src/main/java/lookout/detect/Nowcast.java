package lookout.detect;

import java.util.Arrays;
import java.util.List;

/**
 * How many reports a period will have once all are in, from the count so far and the share of its reports that
 * are usually in by now ({@link ReportingDelays}). If a day's final count is Poisson with mean m, its reports so
 * far are Poisson(m F) and those still to come Poisson(m (1 - F)), independently. The expected final count is the
 * chain-ladder estimate, so far / F. The interval is the central {@link #COVERAGE} predictive interval of the final
 * count: with the Jeffreys prior on m, the count still to come given n so far is negative binomial with size
 * n + 1/2 and probability F (a gamma-Poisson mixture). A period of several days is taken as one Poisson mean a day,
 * so its F is the mean of its days' (a day-by-day sum would give each day its own prior half-event, and a week with
 * nothing reported an interval that leaves out zero). It covers the randomness of the late reports, not the error
 * in the estimated F.
 *
 * <p>No estimate is made when less than {@link #MIN_SHARE} of a period's reports are usually in: the count so far
 * says too little.
 */
public final class Nowcast {
    /** The share of final counts the interval is meant to cover. */
    public static final double COVERAGE = 0.9;
    /** Below this expected share reported, no estimate. */
    public static final double MIN_SHARE = 0.1;
    /** Probability mass left out of the still-to-come distributions' tails. */
    private static final double TAIL = 1e-9;

    private Nowcast() {}

    /**
     * One period's count so far and, when there is one, its estimate: the expected final count and the interval's
     * ends. {@code shareReported} is the mean over the period's days of the share expected to be in by now.
     */
    public record Estimate(long reported, double shareReported, Double expected, Long lower, Long upper) {
        public boolean estimated() {
            return expected != null;
        }
    }

    /** One day's so-far count and the share of its reports expected to be in by now. */
    public record Day(long reported, double shareReported) {}

    /** The estimate for one day. */
    public static Estimate of(long reported, double shareReported) {
        return of(List.of(new Day(reported, shareReported)));
    }

    /**
     * The estimate for a period made of {@code days}, taken to share one Poisson mean a day: the count so far over
     * the period is then Poisson with mean m ΣF, and the period's share reported is the mean of its days' shares.
     */
    public static Estimate of(List<Day> days) {
        long reported = days.stream().mapToLong(Day::reported).sum();
        double share = days.stream().mapToDouble(Day::shareReported).average().orElse(1);
        if (share < MIN_SHARE) {
            return new Estimate(reported, share, null, null, null);
        }
        if (share >= 1) {
            return new Estimate(reported, share, (double) reported, reported, reported);
        }
        double[] toCome = stillToCome(reported, share);
        double tail = (1 - COVERAGE) / 2;
        return new Estimate(reported, share, reported / share, reported + quantile(toCome, tail),
                reported + quantile(toCome, 1 - tail));
    }

    /** The negative binomial probabilities of the count still to come, 0, 1, 2, ..., until the tail is negligible. */
    static double[] stillToCome(long reported, double share) {
        double size = reported + 0.5;
        double logP = size * Math.log(share);
        double q = 1 - share;
        double mean = size * q / share;
        double sd = Math.sqrt(size * q) / share;
        int length = (int) Math.ceil(mean + 12 * sd + 20);
        double[] logPmf = new double[length];
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < length; r++) {
            logPmf[r] = logP;
            max = Math.max(max, logP);
            logP += Math.log((r + size) / (r + 1) * q);
        }
        double[] pmf = new double[length];
        double total = 0;
        for (int r = 0; r < length; r++) {
            pmf[r] = Math.exp(logPmf[r] - max);
            total += pmf[r];
        }
        for (int r = 0; r < length; r++) {
            pmf[r] /= total;
        }
        return trimmed(pmf);
    }

    /** Drops the far right tail. */
    private static double[] trimmed(double[] pmf) {
        double cumulative = 0;
        for (int r = 0; r < pmf.length; r++) {
            cumulative += pmf[r];
            if (cumulative >= 1 - TAIL) {
                return Arrays.copyOf(pmf, r + 1);
            }
        }
        return pmf;
    }

    /** The smallest r whose cumulative probability reaches {@code p}. */
    static long quantile(double[] pmf, double p) {
        double cumulative = 0;
        for (int r = 0; r < pmf.length; r++) {
            cumulative += pmf[r];
            if (cumulative >= p - 1e-12) {
                return r;
            }
        }
        return pmf.length - 1;
    }
}
