package lookout.detect;

import java.io.Serializable;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.util.CombinatoricsUtils;

/**
 * When a substance's share of drug-checking samples is rising: of the {@code n} samples checked in the last
 * {@code recentDays} days, {@code x} contained it, and that is unlikely (chance below {@code alpha}) if its share
 * were what it was in the {@code baselineDays} days before. The baseline share is uncertain when few samples were
 * checked, so the chance is the beta-binomial's: X ~ BetaBinomial(n, x0 + 1/2, n0 - x0 + 1/2) for x0 of n0 baseline
 * samples (Jeffreys' prior). A substance found in 60 % of samples for weeks is not rising at 60 % this week, and
 * a handful of samples from a place rarely checked cannot make it rise. At least {@code minSamples} recent samples
 * must contain it.
 */
public record SubstanceChange(int baselineDays, int recentDays, double alpha, int minSamples) implements Serializable {

    /** The defaults (docs/DETECTION.md, "Toxicity alerts that follow change"). */
    public static final SubstanceChange DEFAULT = new SubstanceChange(56, 7, 0.003, 3);
    /**
     * The relative error {@link #upperTail} allows: it stops summing once the terms not yet summed are bounded by
     * this share of the sum so far.
     */
    public static final double TOLERANCE = 1e-12;

    public SubstanceChange {
        if (baselineDays < 7 || recentDays < 1 || recentDays > 28 || !(alpha > 0 && alpha < 1) || minSamples < 1) {
            throw new IllegalArgumentException("substance change needs baseline_days >= 7, recent_days 1-28,"
                    + " rising_alpha between 0 and 1 and rising_min_samples >= 1");
        }
    }

    /** Days of counts each key keeps. */
    public int capacityDays() {
        return baselineDays + recentDays;
    }

    /**
     * Whether {@link #upperTail} is below {@code alpha}, summed only until the answer is known: once the sum
     * reaches alpha (a substance as common as usual has a tail near one half, which its first few terms reach), or
     * once the sum plus twice a bound on the terms left ({@link #rest}) is still below it. The terms come in the same
     * order as in the whole sum, so the answer is the same; the bound is doubled so that the terms' rounding (far
     * smaller) cannot turn it. The whole sum takes a term per recent sample (the tail's log-gamma functions were a
     * third of the novelty operator's samples in a JFR profile of a 5 M backfill).
     */
    public boolean rising(int x, int n, int x0, int n0) {
        return x >= minSamples && risingTail(x, n, x0, n0).sum() < alpha;
    }

    /** The tail summed as far as {@link #rising} needs, from k = x up. */
    Partial risingTail(int x, int n, int x0, int n0) {
        return tail(x, n, x0, n0, (sum, rest) -> sum >= alpha || sum + 2 * rest < alpha);
    }

    /**
     * P(X >= x) for X ~ BetaBinomial(n, x0 + 1/2, n0 - x0 + 1/2), within {@link #TOLERANCE} of the whole sum
     * (relative).
     */
    public static double upperTail(int x, int n, int x0, int n0) {
        return Math.min(1, upperTailSummed(x, n, x0, n0).sum());
    }

    /** The tail summed as far as {@link #upperTail} needs, from k = x up. */
    static Partial upperTailSummed(int x, int n, int x0, int n0) {
        return tail(x, n, x0, n0, (sum, rest) -> rest <= TOLERANCE * sum);
    }

    /** A sum of the tail's first {@code terms} terms. */
    record Partial(double sum, int terms) {}

    /** Whether the tail's sum may stop, given the sum so far and a bound on the terms left. */
    private interface Stop {
        boolean now(double sum, double rest);
    }

    /** The tail's terms from k = x up, summed until {@code stop} says so or k passes n. */
    private static Partial tail(int x, int n, int x0, int n0, Stop stop) {
        double a = x0 + 0.5;
        double b = n0 - x0 + 0.5;
        double logBeta = Beta.logBeta(a, b);
        double sum = 0;
        int terms = 0;
        for (int k = x; k <= n; k++) {
            double term = Math.exp(CombinatoricsUtils.binomialCoefficientLog(n, k) + Beta.logBeta(k + a, n - k + b)
                    - logBeta);
            sum += term;
            terms++;
            if (stop.now(sum, rest(term, k, n, a, b))) {
                break;
            }
        }
        return new Partial(sum, terms);
    }

    /**
     * A bound on the terms after term k, P(X = k), of the beta-binomial: their ratio r(j) = P(X = j + 1) / P(X = j)
     * is (j + a) / (j + 1) times (n - j) / (n - j - 1 + b). For b >= 1 (the baseline had a sample without the
     * substance) the second factor only falls as j grows, and the first is below 1 or, for a >= 1, only falls too;
     * so every later ratio is at most R = max(1, (k + a) / (k + 1)) (n - k) / (n - k - 1 + b), and when R < 1 the
     * terms left sum to at most P(X = k) R / (1 - R), a geometric series. Otherwise there is no such bound
     * (infinity): for b < 1 the terms can rise again towards k = n.
     */
    static double rest(double term, int k, int n, double a, double b) {
        if (k >= n) {
            return 0;
        }
        double ratio = Math.max(1, (k + a) / (k + 1)) * (n - k) / (n - k - 1 + b);
        return b >= 1 && ratio < 1 ? term * ratio / (1 - ratio) : Double.POSITIVE_INFINITY;
    }
}
