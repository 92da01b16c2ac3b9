package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.security.SecureRandom;

import org.apache.commons.math3.stat.inference.ChiSquareTest;
import org.junit.jupiter.api.Test;

/** Distribution tests on a seeded SHA1PRNG, so they are reproducible; production draws from a fresh SecureRandom. */
class DiscreteLaplaceTest {
    private static final int DRAWS = 200_000;

    private static SecureRandom seeded(long seed) throws Exception {
        SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
        r.setSeed(seed);
        return r;
    }

    @Test
    void frequenciesMatchTheTwoSidedGeometricDistribution() throws Exception {
        // epsilon 0.5 for sensitivity 1: P(z) = (1 - a) / (1 + a) * a^|z| with a = exp(-0.5)
        DiscreteLaplace noise = new DiscreteLaplace(new BigDecimal("0.5"), 1, seeded(7));
        double a = Math.exp(-0.5);
        int max = 12;
        long[] observed = new long[2 * max + 3];
        double sum = 0;
        double sumSquares = 0;
        for (int i = 0; i < DRAWS; i++) {
            long z = noise.sample();
            sum += z;
            sumSquares += (double) z * z;
            observed[z < -max ? 0 : z > max ? 2 * max + 2 : (int) z + max + 1]++;
        }
        double[] expected = new double[observed.length];
        double tail = 0;
        for (int z = -max; z <= max; z++) {
            expected[z + max + 1] = DRAWS * (1 - a) / (1 + a) * Math.pow(a, Math.abs(z));
            tail += expected[z + max + 1];
        }
        expected[0] = (DRAWS - tail) / 2;
        expected[2 * max + 2] = (DRAWS - tail) / 2;
        double p = new ChiSquareTest().chiSquareTest(expected, observed);
        assertTrue(p > 0.001, "chi-square p = " + p);
        double variance = 2 * a / ((1 - a) * (1 - a));
        assertEquals(0, sum / DRAWS, 0.05);
        assertEquals(variance, sumSquares / DRAWS, variance * 0.03);
    }

    @Test
    void sensitivityWidensTheNoise() throws Exception {
        DiscreteLaplace narrow = new DiscreteLaplace(new BigDecimal("1"), 1, seeded(11));
        DiscreteLaplace wide = new DiscreteLaplace(new BigDecimal("1"), 6, seeded(11));
        double narrowSq = 0;
        double wideSq = 0;
        for (int i = 0; i < DRAWS; i++) {
            narrowSq += Math.pow(narrow.sample(), 2);
            wideSq += Math.pow(wide.sample(), 2);
        }
        double aNarrow = Math.exp(-1);
        double aWide = Math.exp(-1.0 / 6);
        assertEquals(2 * aNarrow / Math.pow(1 - aNarrow, 2), narrowSq / DRAWS, 0.03 * 2 * aNarrow / Math.pow(1 - aNarrow, 2));
        assertEquals(2 * aWide / Math.pow(1 - aWide, 2), wideSq / DRAWS, 0.03 * 2 * aWide / Math.pow(1 - aWide, 2));
    }

    @Test
    void exactBernoulliOfExpMinusGamma() throws Exception {
        DiscreteLaplace noise = new DiscreteLaplace(BigDecimal.ONE, 1, seeded(3));
        int hits = 0;
        for (int i = 0; i < DRAWS; i++) {
            if (noise.bernoulliExp(3, 7)) hits++;
        }
        assertEquals(Math.exp(-3.0 / 7), (double) hits / DRAWS, 0.005);
    }

    @Test
    void epsilonMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new DiscreteLaplace(BigDecimal.ZERO, 1));
        assertThrows(IllegalArgumentException.class, () -> new DiscreteLaplace(new BigDecimal("0.1"), 0));
    }
}
