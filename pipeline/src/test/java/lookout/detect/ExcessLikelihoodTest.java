package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

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
