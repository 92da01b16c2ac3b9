package lookout.detect;

import java.io.Serializable;

import org.apache.commons.math3.special.Beta;

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

    /**
     * The tail's terms from k = x up, summed until {@code stop} says so or k passes n. The first comes from its
     * logs; each later one is the one before times their ratio, so it costs a few operations whatever n.
     */
    private static Partial tail(int x, int n, int x0, int n0, Stop stop) {
        double a = x0 + 0.5;
        double b = n0 - x0 + 0.5;
        Term term = new Term(logProbability(x, n, a, b));
        double sum = 0;
        int terms = 0;
        for (int k = x; k <= n; k++) {
            if (k > x) {
                term.times(ratio(k - 1, n, a, b));
            }
            double value = term.value();
            sum += value;
            terms++;
            if (stop.now(sum, rest(value, k, n, a, b))) {
                break;
            }
        }
        return new Partial(sum, terms);
    }

    /**
     * log P(X = k), with C(n, k) = 1 / ((n + 1) B(k + 1, n - k + 1)): three log-beta functions and a log, whose
     * rounding (about 1e-16 of logs up to (n + n0) log 2) is the tail's largest error.
     */
    private static double logProbability(int k, int n, double a, double b) {
        return Beta.logBeta(k + a, n - k + b) - Beta.logBeta(a, b) - Math.log(n + 1.0)
                - Beta.logBeta(k + 1.0, n - k + 1.0);
    }

    /**
     * P(X = k + 1) / P(X = k), for k < n, rounded once: both products are of half-integers, exact below 2^52 (many
     * millions of samples).
     */
    private static double ratio(int k, int n, double a, double b) {
        return (k + a) * (n - k) / ((k + 1.0) * (n - k - 1 + b));
    }

    /**
     * A term as {@code scaled} times 2^{@code exponent}, scaled in [1, 2): a tail that starts far below the
     * distribution's bulk starts with a term far below the least double (about 0.4^100,000 for none of 100,000
     * samples where 60 % was usual), and chaining it as a double would leave every later term zero. Scaling by
     * powers of two is exact.
     */
    private static final class Term {
        private static final double LN_2 = Math.log(2);
        /** Logs above this have a normal double as their exp. */
        private static final double LEAST_LOG = -700;
        private double scaled;
        private int exponent;

        /** The term whose log is {@code log}: taken out in powers of two only below the doubles' reach. */
        Term(double log) {
            exponent = log < LEAST_LOG ? (int) Math.floor(log / LN_2) : 0;
            scaled = Math.exp(log - exponent * LN_2);
            normalize();
        }

        void times(double ratio) {
            scaled *= ratio;
            normalize();
        }

        private void normalize() {
            int e = Math.getExponent(scaled);
            scaled = Math.scalb(scaled, -e);
            exponent += e;
        }

        double value() {
            return Math.scalb(scaled, exponent);
        }
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
