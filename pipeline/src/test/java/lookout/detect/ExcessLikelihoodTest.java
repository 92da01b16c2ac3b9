package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

class ExcessLikelihoodTest {
    /** The sum over every possible number of extra cases, as written before the loop could stop early. */
    private static double everyTerm(int y, double mu, double phi, double delta) {
        double r = mu / (phi - 1);
        double q = 1 - 1 / phi;
        double pois = Math.exp(-delta);
        double ratio = 1;
        double sum = pois;
        for (int e = 1; e <= y; e++) {
            int j = y - e + 1;
            ratio *= j / ((j - 1 + r) * q);
            pois *= delta / e;
            sum += pois * ratio;
        }
        return Math.log(sum);
    }

    @Test
    void stoppingOnceNoTermCanChangeTheSumGivesTheWholeSumsValueToTheLastBit() {
        for (int y : new int[] {0, 1, 3, 8, 40, 200, 5_000}) {
            for (double mu : new double[] {0.05, 0.6, 3, 25}) {
                for (double phi : new double[] {1.2, 2, 6}) {
                    for (double delta : new double[] {0.5, 2, 9}) {
                        String at = y + " " + mu + " " + phi + " " + delta;
                        double whole = everyTerm(y, mu, phi, delta);
                        double stopped = ExcessLikelihood.logRatio(y, mu, phi, delta);
                        if (Double.isFinite(whole)) {
                            assertEquals(whole, stopped, 0.0, at);
                        } else {
                            // Terms that overflow (infinity times zero): whether or not the loop stops first, the
                            // sum can no longer be finite.
                            assertTrue(!Double.isFinite(stopped) || stopped > 0, at);
                        }
                    }
                }
            }
        }
    }

    /**
     * Past delta = 708 the first term, e^-delta, underflows: the terms summed from it all read 0, and the ratio was
     * -infinity (a dispersion fitted over a day of a million events makes delta millions). Taken from the largest
     * term, the sum is every term's, taken here one by one in logs.
     */
    @Test
    void aSumWhoseFirstTermUnderflowsIsEveryTermsSum() {
        double[][] baselines = {{0.5, 2e6}, {2e5, 2}, {3, 1e9}};
        for (double[] b : baselines) {
            double mu = b[0];
            double phi = b[1];
            for (double size : new double[] {1.5, 5}) {
                double delta = size * Math.sqrt(phi * mu);
                for (int y : new int[] {0, 1, 40, 2_000, 200_000, 1_000_000}) {
                    String at = y + " " + mu + " " + phi + " " + delta;
                    double every = everyTermInLogs(y, mu, phi, delta);
                    // The reference's log-gamma functions of a million are 1.3e7, each exact to its last bit (2e-9).
                    double within = 1e-8 * Math.max(1, Math.abs(every));
                    assertEquals(every, ExcessLikelihood.logRatio(y, mu, phi, delta), within, at);
                }
            }
        }
    }

    /**
     * Where r is small (here 1.1e-4), a large count's products overflow before its terms fall, and infinity times a
     * Poisson factor that underflowed to 0 made the ratio NaN. Summed in logs, it is every term's sum.
     */
    @Test
    void aLargeCountWhoseProductsOverflowIsEveryTermsSum() {
        for (int y : new int[] {8_192, 100_000}) {
            double every = everyTermInLogs(y, 0.001, 10, 0.4);
            assertEquals(every, ExcessLikelihood.logRatio(y, 0.001, 10, 0.4), 1e-8 * Math.max(1, Math.abs(every)));
        }
        assertEquals(0.044498699982906065, ExcessLikelihood.logRatio(8_192, 0.001, 10, 0.4), 1e-12,
                "near e^(delta / (phi - 1)), where the baseline's tail explains the count");
    }

    /**
     * Where r &lt; 1, a count's ratio plus the bound on the terms of larger counts is at least the ratio of every
     * larger count: what lets the detector stop scanning counts.
     */
    @Test
    void theLaterTermsBoundEveryLargerCountsRatio() {
        double[][] baselines = {{0.0025, 10}, {0.2, 4}, {0.05, 1.2}, {2, 3.5}};
        for (double[] b : baselines) {
            double mu = b[0];
            double phi = b[1];
            assertTrue(!ExcessLikelihood.growsWithCount(mu, phi));
            for (double delta : new double[] {0.3, 2, 8}) {
                double[] ratios = new double[301];
                for (int y = 0; y < ratios.length; y++) {
                    ratios[y] = ExcessLikelihood.logRatio(y, mu, phi, delta);
                }
                for (int c = 0; c <= 40; c++) {
                    double later = ExcessLikelihood.logLaterTerms(c, mu, phi, delta);
                    double bound = Math.log(Math.exp(ratios[c]) + Math.exp(later));
                    for (int y = c; y < ratios.length; y++) {
                        assertTrue(ratios[y] <= bound + 1e-12, mu + " " + phi + " " + delta + " " + c + " " + y);
                    }
                }
            }
        }
    }

    /** log sum_e Pois(e; delta) NB(y - e) / NB(y), every term from log-gamma functions. */
    private static double everyTermInLogs(int y, double mu, double phi, double delta) {
        double[] terms = new double[y + 1];
        double largest = Double.NEGATIVE_INFINITY;
        double baseline = ExcessLikelihood.logBaseline(y, mu, phi);
        for (int e = 0; e <= y; e++) {
            terms[e] = -delta + e * Math.log(delta) - Gamma.logGamma(e + 1.0)
                    + ExcessLikelihood.logBaseline(y - e, mu, phi) - baseline;
            largest = Math.max(largest, terms[e]);
        }
        double sum = 0;
        for (double t : terms) {
            sum += Math.exp(t - largest);
        }
        return largest + Math.log(sum);
    }

    /** One term per event made a count of 2^31 - 1 (a corrupt series given to eval-detection) run for ever. */
    @Test
    void anAbsurdCountIsJudgedAtOnce() {
        double ratio = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ExcessLikelihood.logRatio(Integer.MAX_VALUE, 1.5, 2, 3));
        assertTrue(Double.isFinite(ratio) && ratio > 0, "an excess explains such a count better: " + ratio);
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ExcessLikelihood.logRatio(Integer.MAX_VALUE, 0.05, 1.2, 9), "a baseline whose terms overflow");
    }
}
