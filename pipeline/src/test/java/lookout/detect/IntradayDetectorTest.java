package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IntradayDetectorTest {

    @Test
    void negativeBinomialTailIsExact() {
        assertEquals(0.125, IntradayDetector.upperTail(3, 1, 0.5), 1e-12, "size 1 is geometric");
        assertEquals(1.0, IntradayDetector.upperTail(0, 2.5, 0.3), 0);
    }

    @Test
    void firesOnTheEventThatCrossesTheBoundNotAtTheEndOfTheWindow() {
        IntradayDetector d = new IntradayDetector(24, 28, 1e-4);
        HourlyCounts h = new HourlyCounts(d.capacityHours());
        long start = 500_000;
        for (int day = 0; day < 28; day++) {
            h.add(start + day * 24L + 2);
        }
        long now = start + 28 * 24L + 3;
        DailyVerdict first = null;
        DailyVerdict fired = null;
        int firedAt = -1;
        for (int i = 1; i <= 20; i++) {
            h.add(now);
            DailyVerdict v = d.evaluate(h, now);
            if (first == null) {
                first = v;
            }
            if (v.alarm()) {
                firedAt = i;
                fired = v;
                break;
            }
        }
        assertEquals(1.0, first.expected(), 1e-12, "one event in each of the 27 earlier complete windows");
        // Posterior predictive NB(size 27.5, p 27/28): P(Y >= 7) = 1.54e-4 >= 1e-4 > P(Y >= 8) = 2.34e-5.
        assertEquals(1.542224848273366e-4, IntradayDetector.upperTail(7, 27.5, 27.0 / 28), 1e-12);
        assertEquals(2.340703841634739e-5, IntradayDetector.upperTail(8, 27.5, 27.0 / 28), 1e-13);
        assertEquals(7.0, first.upperbound(), 0);
        assertEquals(8, firedAt, "the eighth event in the window fires, the moment it arrives");
        assertEquals(-Math.log10(2.340703841634739e-5), fired.score(), 1e-9, "the firing window's tail");
        assertTrue(Double.isNaN(first.score()), "a window that does not fire gets no score");
    }

    @Test
    void noOpinionWithLessThanAWeekOfHistory() {
        IntradayDetector d = new IntradayDetector(24, 28, 1e-4);
        HourlyCounts h = new HourlyCounts(d.capacityHours());
        h.add(1000);
        for (int i = 0; i < 30; i++) {
            h.add(1000 + 24 * 3);
        }
        assertFalse(d.evaluate(h, 1000 + 24 * 3).alarm());
    }

    @Test
    void hoursOlderThanTheRingAreForgotten() {
        HourlyCounts h = new HourlyCounts(48);
        h.add(10);
        h.add(100);
        h.add(11);
        assertEquals(1, h.sum(100, 48));
        assertEquals(0, h.sum(60, 10));
    }
}
