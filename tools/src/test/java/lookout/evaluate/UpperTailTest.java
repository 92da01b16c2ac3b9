package lookout.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class UpperTailTest {

    @Test
    void poissonTailIsOneMinusTheFirstTerms() {
        // P(Y >= 3) = 1 - e^-0.6 (1 + 0.6 + 0.18)
        assertEquals(0.02311528775263305, UpperTail.pValue(3, 0.6, 1), 1e-14);
        assertEquals(1, UpperTail.pValue(0, 0.6, 1));
    }

    @Test
    void negativeBinomialTailIsOneMinusTheFirstTerms() {
        // mean 1.5, variance 4.5: size r = 0.75, p = 1/3; P(0) = p^r = 0.438691, P(1) = r (1 - p) p^r
        assertEquals(0.3419629935237538, UpperTail.pValue(2, 1.5, 3), 1e-13);
    }

    @Test
    void theQuietCountIsTheLastOneWhoseTailIsAtLeastAlpha() {
        // P(Y >= 2) = 0.121901, P(Y >= 3) = 0.023115 for Poisson(0.6)
        assertEquals(2, UpperTail.largestQuietCount(0.6, 1, 0.03));
        assertEquals(1, UpperTail.largestQuietCount(0.6, 1, 0.2));
    }
}
