package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubstanceChangeTest {
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

    /** Stopping the tail's sum once it reaches alpha answers as the whole sum does, rising or not. */
    @Test
    void risingAnswersAsTheWholeTailDoes() {
        SubstanceChange c = SubstanceChange.DEFAULT;
        int rising = 0;
        int checked = 0;
        for (int n : new int[] {3, 40, 700}) {
            for (int n0 = 0; n0 <= 8 * n; n0 += Math.max(1, n)) {
                for (int x0 = 0; x0 <= n0; x0 += Math.max(1, n0 / 7)) {
                    for (int x = c.minSamples(); x <= n; x += Math.max(1, n / 23)) {
                        boolean whole = SubstanceChange.upperTail(x, n, x0, n0) < c.alpha();
                        assertEquals(whole, c.rising(x, n, x0, n0), x + " of " + n + " after " + x0 + " of " + n0);
                        rising += whole ? 1 : 0;
                        checked++;
                    }
                }
            }
        }
        assertTrue(rising > 0 && rising < checked, rising + " of " + checked + " rising: both answers are covered");
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
