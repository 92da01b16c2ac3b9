package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The model without trend and cycle (under a year of days) is fitted from each weekday's distinct counts; these
 * tests hold it to the fit over every day ({@link SeasonalBaseline#byDay}) on varied series: the same expectations
 * and dispersion up to rounding, and the same verdicts.
 */
class SeasonalBaselineTest {
    /** Relative difference allowed: the same sums taken in another order differ in the last bits only. */
    private static final double ROUNDING = 1e-11;

    @Test
    void theWeekdayFitEqualsTheFitOverEveryDayOnVariedSeries() {
        SplittableRandom random = new SplittableRandom(20261130);
        int fits = 0;
        int reweighted = 0;
        for (int s = 0; s < 120; s++) {
            int[] counts = series(random, 400);
            int t = 35 + random.nextInt(365);
            int to = t - ExcessGlrDetector.GUARD;
            int from = Math.max(0, to - ExcessGlrDetector.FIT_DAYS);
            DayOfWeek dow = DayOfWeek.of(1 + random.nextInt(7));
            SeasonalBaseline fast = SeasonalBaseline.fit(counts, from, to, t, dow);
            SeasonalBaseline reference = SeasonalBaseline.byDay(counts, from, to, t, dow);
            String where = "series " + s + " (t " + t + ", " + dow + ")";
            assertClose(reference.phi(), fast.phi(), where + " phi");
            for (int d = from; d <= t; d++) {
                assertClose(reference.mean(d), fast.mean(d), where + " day " + d);
            }
            fits++;
            reweighted += fast.phi() > 1 ? 1 : 0;
        }
        assertEquals(120, fits);
        assertTrue(reweighted > 40, "the series include overdispersed ones: " + reweighted);
    }

    @Test
    void aYearOfVerdictsIsTheSameAsWithTheFitOverEveryDay() {
        SplittableRandom random = new SplittableRandom(7);
        ExcessGlrDetector alert = DetectorCatalog.alerting();
        ExcessGlrDetector sensitive = DetectorCatalog.sensitive();
        int alarms = 0;
        int days = 0;
        for (int s = 0; s < 6; s++) {
            int[] counts = series(random, 372);
            int lastAlert = DailyHistory.NO_ALARM;
            int lastSensitive = DailyHistory.NO_ALARM;
            for (int t = alert.minHistoryDays(); t < counts.length; t++) {
                DayOfWeek dow = DayOfWeek.of(1 + Math.floorMod(t + s, 7));
                for (ExcessGlrDetector glr : new ExcessGlrDetector[] {alert, sensitive}) {
                    int last = glr == alert ? lastAlert : lastSensitive;
                    DailyHistory h = new DailyHistory(counts, t, dow, last);
                    DailyVerdict v = glr.evaluate(h);
                    DailyVerdict reference = referenceVerdict(glr, h);
                    String where = glr.method() + " series " + s + " day " + t;
                    assertEquals(reference.alarm(), v.alarm(), where);
                    assertEquals(reference.upperbound(), v.upperbound(), where + " bound");
                    assertClose(reference.expected(), v.expected(), where + " expected");
                    assertClose(reference.score(), v.score(), where + " score");
                    if (v.alarm()) {
                        alarms++;
                        if (glr == alert) {
                            lastAlert = t;
                        } else {
                            lastSensitive = t;
                        }
                    }
                    days++;
                }
            }
        }
        assertEquals(6 * 2 * (372 - 35), days);
        assertTrue(alarms > 10, "the series raise alarms to compare: " + alarms);
    }

    /** What ExcessGlrDetector.evaluate says with the fit over every day. */
    private static DailyVerdict referenceVerdict(ExcessGlrDetector glr, DailyHistory h) {
        int to = h.t() - ExcessGlrDetector.GUARD;
        int from = Math.max(0, to - ExcessGlrDetector.FIT_DAYS);
        SeasonalBaseline baseline = SeasonalBaseline.byDay(h.counts(), from, to, h.t(), h.dayOfWeek());
        double floor = ExcessGlrDetector.FLOOR_EVENTS / (to - from);
        return glr.judge(h, d -> Math.max(floor, baseline.mean(d)), baseline.phi());
    }

    /**
     * A day count series of one of several kinds: quiet areas (weeks of zeros), Poisson or overdispersed counts
     * from 0.02 to 30 a day with a weekday profile, a trend, and injected outbreaks (days of several times the
     * usual count) that the reweighting must down-weight.
     */
    private static int[] series(SplittableRandom random, int days) {
        double mean = Math.exp(Math.log(0.02) + random.nextDouble() * Math.log(30 / 0.02));
        double dispersion = random.nextBoolean() ? 0 : 0.2 + random.nextDouble() * 2;
        double[] weekday = new double[7];
        for (int d = 0; d < 7; d++) {
            weekday[d] = 0.6 + 0.8 * random.nextDouble();
        }
        double trend = (random.nextDouble() - 0.5) / days;
        int quietUntil = random.nextInt(4) == 0 ? random.nextInt(days / 2) : 0;
        int[] counts = new int[days];
        for (int d = quietUntil; d < days; d++) {
            double m = mean * weekday[d % 7] * (1 + trend * d);
            if (dispersion > 0) {
                m *= gamma(random, 1 / dispersion) * dispersion;
            }
            if (random.nextInt(40) == 0) {
                m = m * 4 + 3;
            }
            counts[d] = poisson(random, m);
        }
        return counts;
    }

    private static int poisson(SplittableRandom random, double mean) {
        if (mean > 50) {
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian(random)));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang. */
    private static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = gaussian(random);
            double v = Math.pow(1 + c * x, 3);
            if (v > 0 && Math.log(random.nextDouble()) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, ROUNDING * Math.max(1, Math.abs(expected)), what);
    }
}
