package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.junit.jupiter.api.Test;

class SubstanceChangeTest {
    /** {@link #exactTails} by (n, x0, n0). */
    private static final Map<List<Integer>, double[]> EXACT_TAILS = new ConcurrentHashMap<>();
    private final SubstanceChange rule = SubstanceChange.DEFAULT;

    /** The beta-binomial upper tail, checked against the sum of its probabilities computed by hand (lgamma). */
    @Test
    void upperTailIsTheBetaBinomials() {
        assertEquals(0.6261062842, SubstanceChange.upperTail(6, 10, 60, 100), 1e-9);
        assertEquals(0.0078337923, SubstanceChange.upperTail(10, 10, 60, 100), 1e-9);
        assertEquals(0.0011861078, SubstanceChange.upperTail(3, 10, 1, 100), 1e-9);
        assertEquals(0.0000874695, SubstanceChange.upperTail(4, 10, 1, 100), 1e-9);
        assertEquals(0.0006387322, SubstanceChange.upperTail(196, 280, 1344, 2240), 1e-9);
        // No baseline at all: Jeffreys' prior alone, P(5 of 5) = (1/2)(3/4)(5/6)(7/8)(9/10).
        assertEquals(0.24609375, SubstanceChange.upperTail(5, 5, 0, 0), 1e-12);
        assertEquals(1.0, SubstanceChange.upperTail(0, 10, 3, 100), 1e-12);
    }

    /**
     * With the default alpha 0.003: a substance in 60 % of samples for weeks is not rising at 60 % this week, nor
     * even in all 10 of this week's samples (0.0078); one found in 2 of 84 baseline samples rises at 4 of 14 this
     * week (0.0022), not at 3 (0.0137).
     */
    @Test
    void aCommonSubstanceAtItsUsualShareIsNotRisingARareOneFoundOftenIs() {
        assertFalse(rule.rising(6, 10, 60, 100));
        assertFalse(rule.rising(10, 10, 60, 100));
        assertFalse(rule.rising(3, 14, 2, 84));
        assertTrue(rule.rising(4, 14, 2, 84));
        assertTrue(rule.rising(196, 280, 1344, 2240), "city-wide: 70 % this week where 60 % was usual");
        assertFalse(rule.rising(190, 280, 1344, 2240), "68 %: chance 0.0061");
        assertEquals(0.0021877941, SubstanceChange.upperTail(4, 14, 2, 84), 1e-9);
        assertEquals(0.0137038186, SubstanceChange.upperTail(3, 14, 2, 84), 1e-9);
        assertFalse(rule.rising(168, 280, 1344, 2240));
    }

    /**
     * Stopping the tail's sum once it reaches alpha, or once the bound on the terms left cannot bring it there, and
     * chaining its terms, answers as the whole sum of terms from their logs (as before) does, rising or not, also
     * where the baseline always had the substance (no bound).
     */
    @Test
    void risingAnswersAsTheWholeTailDoes() {
        SubstanceChange c = SubstanceChange.DEFAULT;
        int rising = 0;
        int checked = 0;
        for (int n : new int[] {3, 40, 700}) {
            for (int n0 = 0; n0 <= 8 * n; n0 += Math.max(1, n)) {
                for (int x0 : new int[] {0, n0 / 50, n0 / 7, n0 / 2, Math.max(0, n0 - 1), n0}) {
                    for (int x = c.minSamples(); x <= n; x += Math.max(1, n / 23)) {
                        boolean whole = wholeTail(x, n, x0, n0) < c.alpha();
                        assertEquals(whole, c.rising(x, n, x0, n0), x + " of " + n + " after " + x0 + " of " + n0);
                        rising += whole ? 1 : 0;
                        checked++;
                    }
                }
            }
        }
        assertTrue(rising > 0 && rising < checked, rising + " of " + checked + " rising: both answers are covered");
    }

    /**
     * The tail stops once the terms left are at most {@link SubstanceChange#TOLERANCE} of the sum, and its terms are
     * rounded: the first from log-gamma functions of logs up to (n + n0) log 2, each later one chained from the one
     * before by two roundings. So it is within TOLERANCE + 1e-15 (n + n0) of the exact tail (relative), here checked
     * against the exact tail (every term a fraction of half-integers, summed to 40 digits) from 10 samples to
     * 100,000, from x = 0 (a first term far below the least double, chained up to the bulk) to n. The largest error
     * is 0.73 of the bound, 1.0e-12 at 280 samples (mostly the tolerance), and at 100,000 samples 1.4e-10, 0.15 of
     * it. Tails below 1e-290 are left out: their terms come near the least double, so their relative error grows.
     */
    @Test
    void upperTailIsWithinItsStatedErrorOfTheExactTail() {
        int checked = 0;
        for (int n : new int[] {10, 280, 1000, 10_000, 100_000}) {
            for (int[] baseline : baselines(n)) {
                int x0 = baseline[0];
                int n0 = baseline[1];
                double[] exact = exactTails(n, x0, n0);
                double bound = SubstanceChange.TOLERANCE + 1e-15 * (n + n0);
                for (int x = 0; x <= n; x += Math.max(1, n / 97)) {
                    if (exact[x] >= 1e-290) {
                        double error = Math.abs(SubstanceChange.upperTail(x, n, x0, n0) / exact[x] - 1);
                        assertTrue(error <= bound, x + " of " + n + " after " + x0 + " of " + n0 + ": " + error);
                        checked++;
                    }
                }
            }
        }
        assertEquals(2390, checked);
    }

    /**
     * The verdicts of the chained terms are those of the exact tail on a grid up to 100,000 recent samples, and the
     * grid holds both answers.
     */
    @Test
    void risingAnswersAsTheExactTailDoesUpToAHundredThousandSamples() {
        SubstanceChange c = SubstanceChange.DEFAULT;
        int rising = 0;
        int checked = 0;
        for (int n : new int[] {10_000, 100_000}) {
            for (int[] baseline : baselines(n)) {
                double[] exact = exactTails(n, baseline[0], baseline[1]);
                for (int x = c.minSamples(); x <= n; x += n / 97) {
                    boolean whole = exact[x] < c.alpha();
                    assertEquals(whole, c.rising(x, n, baseline[0], baseline[1]),
                            x + " of " + n + " after " + baseline[0] + " of " + baseline[1]);
                    rising += whole ? 1 : 0;
                    checked++;
                }
            }
        }
        assertEquals(List.of(521, 1176), List.of(rising, checked));
    }

    /**
     * A tail without a bound on the terms left (b < 1) is summed to k = n: 100,001 terms, a product each (a log
     * binomial coefficient each would sum 2.5 billion logs). Without a baseline they sum to one; where the
     * substance was in all of 10,000 baseline samples, the first term, P(X = 0), is far below the least double
     * (e^-33,511), and the terms chained from it still reach the bulk near k = n and sum to one, each within the
     * tail's stated error (above).
     */
    @Test
    void aLongTailIsSummedInConstantTimePerTerm() {
        for (int[] baseline : new int[][] {{0, 0}, {10_000, 10_000}}) {
            SubstanceChange.Partial whole = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> SubstanceChange.upperTailSummed(0, 100_000, baseline[0], baseline[1]));
            assertEquals(100_001, whole.terms());
            assertEquals(1, whole.sum(), SubstanceChange.TOLERANCE + 1e-15 * (100_000 + baseline[1]));
        }
    }

    /**
     * Baselines for n recent samples: none, small and eight times as many (56 days against 7), at shares rare to
     * always (b < 1, no bound on the terms left).
     */
    private static List<int[]> baselines(int n) {
        return List.of(new int[] {0, 0}, new int[] {1, 100}, new int[] {50, 100}, new int[] {8 * n / 50, 8 * n},
                new int[] {8 * n * 3 / 5, 8 * n}, new int[] {n / 10, n / 10});
    }

    /**
     * P(X >= x) for every x, to 40 digits: P(X = 0) = prod (b + i) / (a + b + i) over i < n, and each later term
     * the one before times (k + a) (n - k) / ((k + 1) (n - k - 1 + b)), in integers (twice a and b). Kept for the
     * tests that share them: those of 100,000 samples are most of these tests' time.
     */
    private static double[] exactTails(int n, int x0, int n0) {
        return EXACT_TAILS.computeIfAbsent(List.of(n, x0, n0), key -> summedExactly(n, x0, n0));
    }

    private static double[] summedExactly(int n, int x0, int n0) {
        MathContext digits = new MathContext(40);
        long a2 = 2L * x0 + 1;
        long b2 = 2L * (n0 - x0) + 1;
        BigDecimal[] terms = new BigDecimal[n + 1];
        terms[0] = BigDecimal.ONE;
        for (int i = 0; i < n; i++) {
            terms[0] = terms[0].multiply(BigDecimal.valueOf(b2 + 2L * i))
                    .divide(BigDecimal.valueOf(a2 + b2 + 2L * i), digits);
        }
        for (int k = 0; k < n; k++) {
            terms[k + 1] = terms[k].multiply(BigDecimal.valueOf((2L * k + a2) * (n - k)))
                    .divide(BigDecimal.valueOf((k + 1L) * (2L * (n - k - 1) + b2)), digits);
        }
        double[] tails = new double[n + 1];
        BigDecimal tail = BigDecimal.ZERO;
        for (int k = n; k >= 0; k--) {
            tail = tail.add(terms[k], digits);
            tails[k] = tail.doubleValue();
        }
        return tails;
    }

    /**
     * The terms summed: a rising share is known after a term or a few instead of one per recent sample from x up,
     * so a city-wide judgement of 10,000 samples costs about as little as one of 14. 4 of 14 where 2 of 84 were
     * usual: the first term, 0.00188, plus twice the bound on the other ten, is below 0.003 (the whole tail 0.00219).
     * 150 of 10,000 where 400 of 40,000 were usual is rising after one term, of a tail of 9,851 (the whole 2.1e-5);
     * 130 of 10,000 is not, after four that reach alpha; the usual share reaches it at once.
     */
    @Test
    void theSumStopsOnceTheTermsLeftCannotTurnTheAnswer() {
        SubstanceChange c = SubstanceChange.DEFAULT;
        assertEquals(new SubstanceChange.Partial(0.0018830256389571769, 1), c.risingTail(4, 14, 2, 84));
        assertEquals(new SubstanceChange.Partial(0.0021877940531767025, 10),
                SubstanceChange.upperTailSummed(4, 14, 2, 84), "the tail to 1e-12 takes ten terms of eleven");
        assertEquals(new SubstanceChange.Partial(5.967515966875576E-6, 1), c.risingTail(150, 10_000, 400, 40_000));
        assertEquals(new SubstanceChange.Partial(2.1147071763555926E-5, 61),
                SubstanceChange.upperTailSummed(150, 10_000, 400, 40_000));
        assertTrue(c.rising(150, 10_000, 400, 40_000));
        assertEquals(new SubstanceChange.Partial(0.0035913754758238907, 4), c.risingTail(130, 10_000, 400, 40_000));
        assertFalse(c.rising(130, 10_000, 400, 40_000));
        assertEquals(1, c.risingTail(6_000, 10_000, 24_000, 40_000).terms());
    }

    /**
     * The bound on the terms after term k: every later ratio of terms is at most (k + a) / (k + 1) times
     * (n - k) / (n - k - 1 + b), here 1.3 x 10 / 91.5, so the rest is at most 13 / 78.5 of the term; and it
     * holds the sum of the terms left. Without a baseline sample lacking the substance (b < 1) there is none.
     */
    @Test
    void theRestIsBoundedByAGeometricSeries() {
        assertEquals(13 / 78.5, SubstanceChange.rest(1.0, 4, 14, 2.5, 82.5), 1e-15);
        double termAt4 = wholeTail(4, 14, 2, 84) - wholeTail(5, 14, 2, 84);
        assertTrue(wholeTail(5, 14, 2, 84) <= SubstanceChange.rest(termAt4, 4, 14, 2.5, 82.5));
        assertEquals(0, SubstanceChange.rest(1.0, 14, 14, 2.5, 82.5));
        assertEquals(Double.POSITIVE_INFINITY, SubstanceChange.rest(1.0, 4, 14, 2.5, 0.5));
    }

    /**
     * P(X >= x), every term summed from its logs (a log per sample in the binomial coefficient), as the tail was
     * before it could stop early or chain its terms.
     */
    private static double wholeTail(int x, int n, int x0, int n0) {
        double a = x0 + 0.5;
        double b = n0 - x0 + 0.5;
        double sum = 0;
        for (int k = x; k <= n; k++) {
            sum += Math.exp(CombinatoricsUtils.binomialCoefficientLog(n, k) + Beta.logBeta(k + a, n - k + b)
                    - Beta.logBeta(a, b));
        }
        return sum;
    }

    @Test
    void fewerThanTheLeastSamplesNeverRise() {
        assertTrue(SubstanceChange.upperTail(2, 2, 0, 1000) < 1e-5);
        assertFalse(rule.rising(2, 2, 0, 1000));
        assertTrue(rule.rising(3, 3, 0, 1000));
    }

    @Test
    void settingsOutOfRangeAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SubstanceChange(56, 7, 0, 3));
        assertEquals("substance change needs baseline_days >= 7, recent_days 1-28, rising_alpha between 0 and 1 and"
                + " rising_min_samples >= 1", e.getMessage());
        assertEquals(63, rule.capacityDays());
    }
}
