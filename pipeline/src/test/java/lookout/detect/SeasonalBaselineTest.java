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

    /**
     * A quiet area (one event every 20 days) with one day of 20 events four weeks before today. The first fit's
     * uncapped dispersion, inflated by that day alone, let it pass as ordinary: the fit kept phi 1.1297666754065308
     * (mu 0.05557021643972196), a heavy tail that explains a second burst. With each day's Pearson term capped at
     * 64 phi the day is down-weighted and phi stays near the quiet days' own.
     */
    @Test
    void oneBurstInAQuietAreaIsDownWeightedAndLeavesTheDispersionNearOne() {
        int[] counts = quietWithBurst(736, 28, 20);
        SeasonalBaseline fit = SeasonalBaseline.fit(counts, 0, 728, 735, DayOfWeek.MONDAY);
        assertEquals(1.0728724823989215, fit.phi(), 1e-12);
        assertEquals(0.05409142640550582, fit.mean(735), 1e-14);
    }

    /**
     * An ordinary overdispersed area (2 a day, gamma-Poisson, phi about 2.6): no day is 8 standard deviations out,
     * so the cap changes nothing; these are the fits' values before it, for the full model and by weekday.
     */
    @Test
    void anOrdinaryOverdispersedAreaIsFittedAsWithoutTheCap() {
        SplittableRandom random = new SplittableRandom(20261205);
        int[] counts = new int[400];
        for (int d = 0; d < counts.length; d++) {
            counts[d] = poisson(random, 2 * gamma(random, 1 / 0.8) * 0.8);
        }
        SeasonalBaseline full = SeasonalBaseline.fit(counts, 0, 393, 399, DayOfWeek.MONDAY);
        assertEquals(2.3126510305506676, full.phi(), 1e-12);
        assertEquals(2.1750087965615537, full.mean(399), 1e-12);
        SeasonalBaseline byWeekday = SeasonalBaseline.fit(counts, 100, 393, 399, DayOfWeek.MONDAY);
        assertEquals(2.060915727692572, byWeekday.phi(), 1e-12);
        assertEquals(2.06651625889006, byWeekday.mean(399), 1e-12);
    }

    /** One event every 20 days, and {@code burst} events on the day {@code back} days before the last. */
    static int[] quietWithBurst(int days, int back, int burst) {
        int[] counts = new int[days];
        for (int d = 3; d < days; d += 20) {
            counts[d] = 1;
        }
        counts[days - 1 - back] = burst;
        return counts;
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
