package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class ExcessGlrDetectorTest {

    @Test
    void oneDayRatioIsTheConvolutionOfBaselineAndExcess() {
        double mu = 0.8;
        double phi = 2;
        double delta = 1.7;
        for (int y = 0; y <= 12; y++) {
            double sum = 0;
            for (int e = 0; e <= y; e++) {
                sum += Math.exp(-delta + e * Math.log(delta) - logFactorial(e)
                        + ExcessLikelihood.logBaseline(y - e, mu, phi));
            }
            double expected = Math.log(sum) - ExcessLikelihood.logBaseline(y, mu, phi);
            assertEquals(expected, ExcessLikelihood.logRatio(y, mu, phi, delta), 1e-10, "y=" + y);
        }
        // Poisson plus Poisson: the closed form.
        assertEquals(5 * Math.log(1 + 2 / 0.5) - 2, ExcessLikelihood.logRatio(5, 0.5, 1, 2), 1e-12);
    }

    @Test
    void aSingleWildDayInAHeavyTailedAreaWeighsLessThanInAPoissonOne() {
        assertTrue(ExcessLikelihood.logRatio(20, 1, 3, 3) < ExcessLikelihood.logRatio(20, 1, 1, 3));
    }

    @Test
    void quietAreaAlarmsOnARunOfExtraCasesAndTheBoundIsTheLastQuietCount() {
        int[] y = steady(400, 1);
        ExcessGlrDetector glr = new ExcessGlrDetector("default", 5);
        DailyVerdict quiet = glr.evaluate(history(y, 399));
        assertFalse(quiet.alarm());
        assertEquals(1.0, quiet.expected(), 0.1);
        int ub = (int) quiet.upperbound();
        y[399] = ub;
        assertFalse(glr.evaluate(history(y, 399)).alarm());
        y[399] = ub + 1;
        DailyVerdict v = glr.evaluate(history(y, 399));
        assertTrue(v.alarm());
        assertTrue(v.score() > 5);

        int[] run = steady(400, 1);
        run[397] = 4;
        run[398] = 4;
        run[399] = 4;
        assertTrue(glr.evaluate(history(run, 399)).alarm(), "three days of 4 where 1 is usual add up");
        assertFalse(glr.evaluate(new DailyHistory(run, 399, DayOfWeek.MONDAY, 398)).alarm(),
                "after an alarm on day 398 only today's evidence counts");
    }

    @Test
    void judgedAgainstAKnownMeanTheStatisticIsTheBestWindowsSum() {
        // Poisson mean 0.5 every day, one size k = 2: delta = 2 sqrt(0.5) = sqrt(2) extra cases a day, and a day
        // with y cases adds y ln(1 + 2 sqrt(2)) - sqrt(2) = 1.342454 y - 1.414214.
        ExcessGlrDetector glr = new ExcessGlrDetector("test", 5, new double[] {2});
        int[] y = new int[10];
        y[9] = 5;
        DailyVerdict alone = glr.judge(history(y, 9), i -> 0.5, 1);
        assertEquals(5.298056669894534, alone.score(), 1e-12, "quiet days before count as a fresh start");
        assertEquals(4, alone.upperbound(), "4 cases: 3.955602, not above 5");
        assertTrue(alone.alarm());

        y[8] = 2;
        DailyVerdict run = glr.judge(history(y, 9), i -> 0.5, 1);
        assertEquals(6.568751200428491, run.score(), 1e-12, "yesterday's 2 cases add 1.270695");
        assertEquals(3, run.upperbound(), "with yesterday, 4 cases already give 5.226297");
        assertEquals(5.298056669894534, glr.judge(new DailyHistory(y, 9, DayOfWeek.MONDAY, 8), i -> 0.5, 1).score(),
                1e-12, "after an alarm yesterday only today counts");
    }

    /**
     * A quiet, heavy-tailed area (r = mu / (phi - 1) = 2.8e-4): one to three events alarm, while 8 are explained
     * by the heavy tail and score 0.31. The verdict was the statistic's: 4 and more did not alarm, and the bound's
     * search, which tried 16, 32, ... events up to 100,000, found no statistic above 6 and said no count alarms.
     */
    @Test
    void inAHeavyTailedAreaALargeCountAlarmsAsTheSmallestAlarmingCountDoes() {
        ExcessGlrDetector glr = new ExcessGlrDetector("test", 6);
        assertEquals(0.3134809222550586, largestRatio(8, 0.0025, 10), 1e-12, "8 events alone are the tail's");
        int[] y = new int[10];
        for (int count : new int[] {1, 2, 3, 4, 8, 1000}) {
            y[9] = count;
            DailyVerdict v = glr.judge(history(y, 9), i -> 0.0025, 10);
            assertEquals(0, v.upperbound(), count + " events");
            assertTrue(v.alarm(), count + " events");
            assertEquals(7.268794588213621, v.score(), 1e-12, "the statistic of 1 event, the largest up to " + count);
        }
        y[9] = 0;
        assertFalse(glr.judge(history(y, 9), i -> 0.0025, 10).alarm());
    }

    /**
     * Where the statistic rises to a hump (4.15 at 7 events) and falls again, the bound is the smallest count
     * past h less one; it was infinite, and 9 or more events did not alarm while 6 to 8 did.
     */
    @Test
    void theBoundIsTheSmallestAlarmingCountLessOneAndEveryLargerCountAlarms() {
        ExcessGlrDetector glr = new ExcessGlrDetector("test", 4);
        int[] y = new int[10];
        for (int count = 0; count <= 12; count++) {
            y[9] = count;
            DailyVerdict v = glr.judge(history(y, 9), i -> 0.2, 4);
            assertEquals(5, v.upperbound(), count + " events");
            assertEquals(count >= 6, v.alarm(), count + " events");
            assertEquals(v.alarm(), v.score() > 4, count + " events");
        }
        y[9] = 12;
        assertEquals(4.147027900950704, glr.judge(history(y, 9), i -> 0.2, 4).score(), 1e-12, "7 events' statistic");
        assertEquals(2.8327895110362893, largestRatio(12, 0.2, 4), 1e-12, "12 events' own statistic");
    }

    /** Where no count's statistic passes h no count alarms: the tail explains every count better than an excess. */
    @Test
    void inAHeavyTailedAreaWhoseStatisticStaysBelowTheThresholdNoCountAlarms() {
        ExcessGlrDetector glr = new ExcessGlrDetector("test", 9);
        int[] y = new int[10];
        for (int count : new int[] {0, 1, 8, 1000, 100_000}) {
            y[9] = count;
            DailyVerdict v = assertTimeoutPreemptively(Duration.ofSeconds(10),
                    () -> glr.judge(history(y, 9), i -> 0.0025, 10));
            assertEquals(Double.POSITIVE_INFINITY, v.upperbound(), count + " events");
            assertFalse(v.alarm(), count + " events");
        }
    }

    /**
     * r = 5.0 (mu 3.03, phi 1.60): the statistic grows with today's count, and bound, verdicts and scores are the
     * ones the detector gave before heavy-tailed baselines were judged by the running maximum.
     */
    @Test
    void whereTheStatisticGrowsWithTheCountTheVerdictIsTheStatistics() {
        int[] cycle = {0, 6, 2, 5, 1, 4};
        int[] y = new int[400];
        for (int i = 0; i < y.length; i++) {
            y[i] = cycle[i % cycle.length];
        }
        y[398] = 7;
        ExcessGlrDetector glr = new ExcessGlrDetector("default", 5);
        for (int count = 0; count <= 20; count++) {
            y[399] = count;
            DailyVerdict v = glr.evaluate(history(y, 399));
            assertEquals(3.0287982980664077, v.expected(), 1e-12);
            assertEquals(10, v.upperbound(), count + " events");
            assertEquals(count >= 11, v.alarm(), count + " events");
        }
        y[399] = 10;
        assertEquals(4.922459163437185, glr.evaluate(history(y, 399)).score(), 1e-12);
        y[399] = 11;
        assertEquals(5.257535343910895, glr.evaluate(history(y, 399)).score(), 1e-12);
    }

    /**
     * Two years of a quiet area (one event every 20 days), one day of 20 events three to six weeks ago, and 6 events
     * today: the alerting setting (h = 9) alarms. Before the outlier dispersion was capped (SeasonalBaseline.CAP)
     * none of these days alarmed: the burst inflated phi so that it was not down-weighted, and the heavy tail left
     * (phi 1.13, r = mu / (phi - 1) = 0.43 four weeks on) explained any count; 6 events alarmed on only 75 of the 727
     * days the burst could be back, none before 46. Four weeks back the bound was 6 and is now 4.
     */
    @Test
    void aQuietAreaAlarmsOnASecondBurstWeeksAfterAFirst() {
        ExcessGlrDetector alerting = DetectorCatalog.alerting();
        for (int back = 21; back <= 42; back++) {
            int[] y = SeasonalBaselineTest.quietWithBurst(736, back, 20);
            y[735] = 6;
            DailyVerdict v = alerting.evaluate(history(y, 735));
            assertTrue(v.alarm(), "20 events " + back + " days back: " + v);
            if (back == 28) {
                assertEquals(4, v.upperbound());
                assertEquals(10.441711024079904, v.score(), 1e-9);
            }
        }
    }

    @Test
    void noOpinionBeforeFourWeeksOfHistory() {
        DailyVerdict v = new ExcessGlrDetector("default", 5).evaluate(history(steady(30, 1), 29));
        assertFalse(v.defined());
        assertFalse(v.alarm());
    }

    @Test
    void anAreaWithOnlyZerosStillGetsAFiniteBaseline() {
        int[] y = new int[200];
        y[199] = 3;
        DailyVerdict v = new ExcessGlrDetector("default", 5).evaluate(history(y, 199));
        assertTrue(v.expected() > 0 && v.expected() < 0.05, "expected " + v.expected());
        assertTrue(v.alarm(), "three events where there were none for half a year");
    }

    /**
     * An area whose first event ever comes after weeks of zeros (its history starts with the city's): one event
     * is not an alarm however long the zeros, a few in a day are. Without the floor the fit expects 7e-13 a day
     * and the single event scored 15.6.
     */
    @Test
    void weeksOfZerosExpectAtLeastHalfAnEventOverTheDaysFitted() {
        ExcessGlrDetector alerting = DetectorCatalog.alerting();
        for (int days : new int[] {36, 100, 736}) {
            int fitted = Math.min(days - 1 - ExcessGlrDetector.GUARD, ExcessGlrDetector.FIT_DAYS);
            for (int events = 1; events <= 3; events++) {
                int[] y = new int[days];
                y[days - 1] = events;
                DailyVerdict v = alerting.evaluate(history(y, days - 1));
                assertEquals(0.5 / fitted, v.expected(), 1e-12);
                boolean expected = events == 3 || events == 2 && days > 100;
                assertEquals(expected, v.alarm(), events + " events after " + (days - 1) + " days of zeros");
            }
        }
    }

    /**
     * From an expectation past 5e8 the bound's search starts at the largest int: the bisection from -1 overflowed
     * at once and said every count alarms, and doubling wrapped to negative counts, then to 0 for ever.
     */
    @Test
    void anExpectationOfBillionsHasTheBoundItsStatisticGives() {
        ExcessGlrDetector glr = new ExcessGlrDetector("test", 5);
        DailyHistory onlyToday = new DailyHistory(new int[10], 9, DayOfWeek.MONDAY, 8);
        DailyVerdict billion = glr.judge(onlyToday, i -> 1e9, 2);
        assertEquals(1_000_141_621, billion.upperbound(), "3.17 sd above the expected 1e9");
        assertTrue(largestRatio(1_000_141_621, 1e9, 2) <= 5 && largestRatio(1_000_141_622, 1e9, 2) > 5);
        // No int is unusual where 1e12 are expected; the search ran for ever before it could say so.
        DailyVerdict trillion = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> glr.judge(onlyToday, i -> 1e12, 1));
        assertEquals(Double.POSITIVE_INFINITY, trillion.upperbound());
    }

    /** A fit that diverged on a corrupt series gives NaN: its statistic was NaN and its bound 15. */
    @Test
    void aBaselineThatIsNotANumberHasNoOpinion() {
        ExcessGlrDetector glr = new ExcessGlrDetector("test", 5);
        DailyHistory today = history(steady(10, 1), 9);
        for (DailyVerdict v : List.of(glr.judge(today, i -> Double.NaN, 2), glr.judge(today, i -> 1, Double.NaN),
                glr.judge(today, i -> Double.POSITIVE_INFINITY, 2))) {
            assertFalse(v.defined(), v.toString());
            assertFalse(v.alarm());
        }
    }

    private static double largestRatio(int y, double mu, double phi) {
        double best = 0;
        for (double size : ExcessGlrDetector.SIZES) {
            best = Math.max(best, ExcessLikelihood.logRatio(y, mu, phi, size * Math.sqrt(phi * mu)));
        }
        return best;
    }

    private static DailyHistory history(int[] y, int t) {
        return new DailyHistory(y, t, DayOfWeek.MONDAY, DailyHistory.NO_ALARM);
    }

    /** A deterministic series averaging {@code mean}; its 5-day cycle is not a weekly pattern. */
    private static int[] steady(int n, int mean) {
        int[] y = new int[n];
        int[] cycle = {0, 1, 2, 1, 1};
        for (int i = 0; i < n; i++) {
            y[i] = cycle[i % 5] * mean;
        }
        return Arrays.copyOf(y, n);
    }

    private static double logFactorial(int n) {
        double s = 0;
        for (int i = 2; i <= n; i++) {
            s += Math.log(i);
        }
        return s;
    }
}
