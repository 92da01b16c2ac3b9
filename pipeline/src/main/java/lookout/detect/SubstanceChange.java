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
     * Whether {@link #upperTail} is below {@code alpha}, summed only until it is not: a substance as common as usual
     * has a tail near one half, which its first few terms reach, where the whole sum takes a term per recent sample
     * (the tail's log-gamma functions were a third of the novelty operator's samples in a JFR profile of a 5 M
     * backfill). The terms come in the same order, so the answer is the same.
     */
    public boolean rising(int x, int n, int x0, int n0) {
        return x >= minSamples && tail(x, n, x0, n0, alpha) < alpha;
    }

    /** P(X >= x) for X ~ BetaBinomial(n, x0 + 1/2, n0 - x0 + 1/2). */
    public static double upperTail(int x, int n, int x0, int n0) {
        return Math.min(1, tail(x, n, x0, n0, Double.POSITIVE_INFINITY));
    }

    /** The tail's terms from k = x up, summed until the sum reaches {@code stopAt} or k passes n. */
    private static double tail(int x, int n, int x0, int n0, double stopAt) {
        double a = x0 + 0.5;
        double b = n0 - x0 + 0.5;
        double logBeta = Beta.logBeta(a, b);
        double tail = 0;
        for (int k = x; k <= n && tail < stopAt; k++) {
            tail += Math.exp(CombinatoricsUtils.binomialCoefficientLog(n, k) + Beta.logBeta(k + a, n - k + b)
                    - logBeta);
        }
        return tail;
    }
}
