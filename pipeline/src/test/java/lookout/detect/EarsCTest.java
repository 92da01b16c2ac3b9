package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-worked cases of the package's conventions; the full day-by-day check is EarsCAgreementTest (tools). */
class EarsCTest {
    private static final double Z = 3.090232306167813;

    @Test
    void zIsTheNormalQuantileNotThree() {
        assertEquals(Z, new EarsC(EarsC.Variant.C1).z(), 1e-12);
        assertEquals(1.959963984540054, new EarsC(EarsC.Variant.C3, 0.025, 0).z(), 1e-12);
    }

    @Test
    void c1UsesTheSevenDaysBeforeWithTheNMinusOneSd() {
        int[] y = {1, 2, 3, 4, 5, 6, 7, 12};
        DailyVerdict v = new EarsC(EarsC.Variant.C1).evaluate(y, 7);
        double sd = Math.sqrt(28.0 / 6);
        assertEquals(4 + Z * sd, v.upperbound(), 1e-12);
        assertTrue(v.alarm());
        assertEquals(4.0, v.expected(), 0);
    }

    @Test
    void c2SkipsTheTwoDaysBeforeToday() {
        int[] y = {1, 2, 3, 4, 5, 6, 7, 100, 100, 12};
        DailyVerdict v = new EarsC(EarsC.Variant.C2).evaluate(y, 9);
        assertEquals(4 + Z * Math.sqrt(28.0 / 6), v.upperbound(), 1e-12);
    }

    @Test
    void aFlatBaselineAlarmsOnAnyCountAboveItsMeanAndNotOnTheMeanItself() {
        int[] y = {2, 2, 2, 2, 2, 2, 2, 3};
        EarsC c1 = new EarsC(EarsC.Variant.C1);
        assertTrue(c1.evaluate(y, 7).alarm());
        assertEquals(2.0, c1.evaluate(y, 7).upperbound(), 0);
        y[7] = 2;
        assertFalse(c1.evaluate(y, 7).alarm(), "the alarm is strict: a count equal to the bound does not alarm");
    }

    @Test
    void packageC3IgnoresTodayAndTextbookC3CountsIt() {
        // Baselines 0,1,0,1,0,1,0 (mean 3/7); days t-2 and t-1 modest, day t huge.
        int[] y = {0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 1, 40};
        DailyVerdict pkg = new EarsC(EarsC.Variant.C3).evaluate(y, 11);
        DailyVerdict textbook = new EarsC(EarsC.Variant.TEXTBOOK_C3).evaluate(y, 11);
        assertFalse(pkg.alarm(), "the package's C3 does not look at today's count");
        assertTrue(textbook.alarm());
        assertTrue(pkg.score() < Z);
    }

    @Test
    void packageC3IsNaWhenAZeroSdMeetsACountEqualToItsMean() {
        int[] y = new int[12];
        DailyVerdict v = new EarsC(EarsC.Variant.C3).evaluate(y, 11);
        assertFalse(v.defined());
        assertFalse(v.alarm());
    }

    @Test
    void methodNamesFollowTheBenchmarkFiles() {
        assertEquals("earsC_C1", new EarsC(EarsC.Variant.C1).method());
        assertEquals("earsC_C3_alpha0.025", new EarsC(EarsC.Variant.C3, 0.025, 0).method());
        assertEquals("textbookC3_alpha0.001", new EarsC(EarsC.Variant.TEXTBOOK_C3).method());
    }
}
