package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The nowcast against generated reporting delays whose truth is known: the delay distribution recovered from
 * right-truncated reports, and the interval's coverage of the final counts measured over many seeds.
 */
class NowcastTest {
    /** A coroner-like delay: a sixth of the reports on the day, the rest over the next weeks (days 0..34). */
    private static final double[] CORONER_LIKE = coronerLike();

    private static double[] coronerLike() {
        double[] p = new double[35];
        p[0] = 1.0 / 6;
        double rest = 0;
        for (int d = 1; d < p.length; d++) {
            p[d] = Math.exp(-d / 8.0);
            rest += p[d];
        }
        for (int d = 1; d < p.length; d++) {
            p[d] *= (5.0 / 6) / rest;
        }
        return p;
    }

    private static double[] cumulative(double[] p, int maxDelay) {
        double[] f = new double[maxDelay + 1];
        double c = 0;
        for (int d = 0; d <= maxDelay; d++) {
            c += d < p.length ? p[d] : 0;
            f[d] = Math.min(c, 1);
        }
        return f;
    }

    @Test
    void aTriangleInProportionToTheDelaysGivesTheirSharesExactly() {
        ReportingDelays delays = new ReportingDelays(3, 10);
        long[] perDay = {4, 2, 1, 1}; // 8 reports a day: halves, quarters, eighths
        for (int age = 0; age < 10; age++) {
            for (int d = 0; d <= Math.min(age, 3); d++) {
                delays.add(age, d, perDay[d]);
            }
        }
        assertArrayEquals(new double[] {0.5, 0.75, 0.875, 1.0}, delays.shareReported(), 1e-12);
        assertEquals(4 * 8 - 1 - 2 - 4 + 6 * 8, delays.total());
    }

    @Test
    void reportsLaterThanTheLongestDelayCountAsThatDelayAndOldDaysAreLeftOut() {
        ReportingDelays delays = new ReportingDelays(2, 5);
        delays.add(4, 4, 3); // four days late: counted as two
        delays.add(4, 0, 3);
        delays.add(9, 0, 100); // before the window
        assertArrayEquals(new double[] {0.5, 0.5, 1.0}, delays.shareReported(), 1e-12);
        assertEquals(6, delays.total());
        assertThrows(IllegalArgumentException.class, () -> delays.add(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReportingDelays(7, 7));
    }

    @Test
    void recoversAGeneratedDelayDistributionFromRightTruncatedReports() {
        int maxDelay = 56;
        ReportingDelays delays = generated(new Random(13), maxDelay, 182, 40, 1, CORONER_LIKE).delays();
        double[] truth = cumulative(CORONER_LIKE, maxDelay);
        double[] estimate = delays.shareReported();
        double worst = 0;
        for (int d = 0; d <= maxDelay; d++) {
            worst = Math.max(worst, Math.abs(estimate[d] - truth[d]));
        }
        // 40 events a day for 26 weeks, of which the last weeks' are still partly unreported
        assertTrue(worst < 0.02, "largest error in the share reported by a delay: " + worst);
        assertEquals(truth[0], estimate[0], 0.02);
        assertEquals(truth[7], estimate[7], 0.02);
    }

    @Test
    void aDayHalfReportedWithThreeSoFarExpectsSix() {
        Nowcast.Estimate e = Nowcast.of(3, 0.5);
        assertEquals(6.0, e.expected(), 1e-12);
        // negative binomial(3.5, 0.5) still to come: 5th and 95th percentiles 0 and 9 (scipy.stats.nbinom.ppf)
        assertEquals(3, e.lower());
        assertEquals(12, e.upper());
        Nowcast.Estimate wider = Nowcast.of(7, 0.3);
        assertEquals(7 / 0.3, wider.expected(), 1e-12);
        assertEquals(7 + 7, wider.lower()); // nbinom.ppf([0.05, 0.95], 7.5, 0.3) = 7, 31
        assertEquals(7 + 31, wider.upper());
    }

    @Test
    void aPeriodIsOneMeanADayWithTheMeanOfItsDaysShares() {
        Nowcast.Estimate week = Nowcast.of(List.of(new Nowcast.Day(3, 0.5), new Nowcast.Day(2, 0.8), new Nowcast.Day(4, 1)));
        double share = (0.5 + 0.8 + 1) / 3;
        assertEquals(share, week.shareReported(), 1e-12);
        assertEquals(9 / share, week.expected(), 1e-12);
        assertEquals(9, week.reported());
        // nbinom.ppf([0.05, 0.95], 9.5, 2.3 / 3) = 0, 6
        assertEquals(9, week.lower());
        assertEquals(15, week.upper());
        Nowcast.Estimate nothingYet = Nowcast.of(List.of(new Nowcast.Day(0, 0.3), new Nowcast.Day(0, 0.2)));
        assertEquals(0, nothingYet.lower(), "nothing reported in a week mostly still to come: zero stays possible");
        assertEquals(0.0, nothingYet.expected());
        assertFalse(Nowcast.of(List.of(new Nowcast.Day(2, 0.05), new Nowcast.Day(1, 0.1))).estimated());
    }

    @Test
    void allReportsInMeansTheCountIsFinalAndTooFewInMeansNoEstimate() {
        Nowcast.Estimate done = Nowcast.of(4, 1);
        assertEquals(4.0, done.expected());
        assertEquals(4, done.lower());
        assertEquals(4, done.upper());
        Nowcast.Estimate early = Nowcast.of(1, 0.05);
        assertFalse(early.estimated());
        assertNull(early.upper());
        assertEquals(1, early.reported());
        Nowcast.Estimate none = Nowcast.of(0, 0.4);
        assertEquals(0.0, none.expected());
        assertEquals(0, none.lower());
        assertTrue(none.upper() >= 1, "nothing reported yet does not mean nothing will be: " + none.upper());
    }

    /**
     * Over 200 generated cities of 30 areas with 2 events a day each and coroner-like delays estimated from the
     * city's own right-truncated reports, how often the 90 % interval holds each area's final count, for every
     * day of the last four weeks on which at least a tenth is usually in, and for the last four 7-day weeks.
     */
    @Test
    void theIntervalCoversFinalCountsAtAboutItsStatedRate() {
        int maxDelay = 56;
        int covered = 0;
        int judged = 0;
        int weeksCovered = 0;
        int weeksJudged = 0;
        double error = 0;
        for (int seed = 0; seed < 200; seed++) {
            City city = generated(new Random(seed), maxDelay, 182, 2, 30, CORONER_LIKE);
            double[] share = city.delays().shareReported();
            for (int area = 0; area < 30; area++) {
                for (int age = 0; age < 28; age++) {
                    Nowcast.Estimate e = Nowcast.of(city.soFar()[area][age], share[Math.min(age, maxDelay)]);
                    if (e.estimated()) {
                        long truth = city.finals()[area][age];
                        judged++;
                        covered += e.lower() <= truth && truth <= e.upper() ? 1 : 0;
                        error += e.expected() - truth;
                    }
                }
                for (int week = 0; week < 4; week++) {
                    List<Nowcast.Day> days = new ArrayList<>();
                    long truth = 0;
                    for (int age = 7 * week; age < 7 * week + 7; age++) {
                        days.add(new Nowcast.Day(city.soFar()[area][age], share[age]));
                        truth += city.finals()[area][age];
                    }
                    Nowcast.Estimate e = Nowcast.of(days);
                    if (e.estimated()) {
                        weeksJudged++;
                        weeksCovered += e.lower() <= truth && truth <= e.upper() ? 1 : 0;
                    }
                }
            }
        }
        double coverage = (double) covered / judged;
        double weekCoverage = (double) weeksCovered / weeksJudged;
        System.out.printf("nowcast coverage: days %.3f of %d, weeks %.3f of %d, mean error %.3f%n",
                coverage, judged, weekCoverage, weeksJudged, error / judged);
        assertTrue(coverage >= 0.9 && coverage <= 0.99, "days covered: " + coverage);
        assertTrue(weekCoverage >= 0.9 && weekCoverage <= 0.99, "weeks covered: " + weekCoverage);
        assertTrue(Math.abs(error / judged) < 0.05, "mean error of the expected final count: " + error / judged);
    }

    /** Final counts and counts so far per area and age (days before the as-of day), and the city's triangle. */
    private record City(long[][] finals, long[][] soFar, ReportingDelays delays) {}

    /** Each area's events per day Poisson(rate), each reported after a delay drawn from {@code p}. */
    private static City generated(Random random, int maxDelay, int window, double rate, int areas, double[] p) {
        ReportingDelays delays = new ReportingDelays(maxDelay, window);
        long[][] finals = new long[areas][window];
        long[][] soFar = new long[areas][window];
        double[] f = cumulative(p, p.length - 1);
        for (int area = 0; area < areas; area++) {
            for (int age = 0; age < window; age++) {
                int n = poisson(random, rate);
                finals[area][age] = n;
                for (int i = 0; i < n; i++) {
                    int delay = draw(random, f);
                    if (delay <= age) {
                        soFar[area][age]++;
                        delays.add(age, delay, 1);
                    }
                }
            }
        }
        return new City(finals, soFar, delays);
    }

    private static int draw(Random random, double[] cumulative) {
        double u = random.nextDouble();
        for (int d = 0; d < cumulative.length; d++) {
            if (u < cumulative[d]) {
                return d;
            }
        }
        return cumulative.length - 1;
    }

    private static int poisson(Random random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            product *= random.nextDouble();
            n++;
        }
        return n;
    }
}
