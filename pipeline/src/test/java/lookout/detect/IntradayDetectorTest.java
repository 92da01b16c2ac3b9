package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class IntradayDetectorTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");

    /** Two calls a day, at 15:30 and 22:30 local time, on the 56 days before {@code day}, and on {@code day}. */
    private static DailyVerdict twoADayJudgedAt2230(IntradayDetector d, LocalDate day) {
        HourlyCounts h = new HourlyCounts(d.capacityHours());
        for (LocalDate date = day.minusDays(56); !date.isAfter(day); date = date.plusDays(1)) {
            for (LocalTime time : List.of(LocalTime.of(15, 30), LocalTime.of(22, 30))) {
                h.add(HourlyCounts.hourOf(date.atTime(time).atZone(TORONTO).toInstant().toEpochMilli()));
            }
        }
        long hour = HourlyCounts.hourOf(day.atTime(22, 30).atZone(TORONTO).toInstant().toEpochMilli());
        return d.evaluate(h, hour, TORONTO);
    }

    /**
     * The same local hours of the previous days, across a clock change: after 1 November the window 15:00-22:59 EST
     * is compared with 15:00-22:59 EDT of October's days, which hold both calls as every day does (read 24 hours of
     * UTC back, they were 16:00-23:59 and held one), so the usual level is 2, as in a summer without a change.
     */
    @Test
    void theSameLocalHoursOfThePreviousDaysAreReadAcrossAClockChange() {
        IntradayDetector d = DetectorCatalog.intradayDefault();
        DailyVerdict summer = twoADayJudgedAt2230(d, LocalDate.of(2026, 9, 10));
        DailyVerdict autumn = twoADayJudgedAt2230(d, LocalDate.of(2026, 11, 10));
        DailyVerdict spring = twoADayJudgedAt2230(d, LocalDate.of(2026, 3, 20));
        assertEquals(2.0, summer.expected(), 0);
        assertEquals(2.0, autumn.expected(), 0, "after the clocks go back");
        assertEquals(2.0, spring.expected(), 0, "after they go forward");
        assertEquals(summer.upperbound(), spring.upperbound(), 0);
        assertEquals(2, autumn.observed());
    }

    /**
     * The previous days' window ends, worked out by arithmetic away from a clock change, are the zone's own (the hour
     * of the same local time on each previous day) at every hour of two years, in zones whose clocks change by an
     * hour, by half an hour (Lord Howe) and whose offset is a half hour (St. John's), and in one without changes.
     */
    @Test
    void thePreviousDaysAreTheSameLocalTimeAtEveryHourOfTwoYears() {
        for (String zone : List.of("America/Toronto", "Australia/Lord_Howe", "America/St_Johns", "Asia/Tokyo")) {
            ZoneId z = ZoneId.of(zone);
            IntradayDetector d = DetectorCatalog.intradayDefault();
            long first = HourlyCounts.hourOf(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
            for (long hour = first; hour < first + 2 * 365 * 24; hour++) {
                long[] ends = d.previousDays(hour, z);
                ZonedDateTime local = Instant.ofEpochSecond(hour * 3600).atZone(z);
                for (int j = 0; j < ends.length; j++) {
                    long expected = Math.floorDiv(local.minusDays(j + 1).toEpochSecond(), 3600);
                    if (ends[j] != expected) {
                        assertEquals(expected, ends[j], zone + " at hour " + hour + ", day " + (j + 1));
                    }
                }
            }
        }
    }

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

    /** The bound as the detector first found it: counting up from zero until the tail falls below alpha. */
    private static int countedUp(double size, double p, double alpha) {
        int ub = 0;
        while (IntradayDetector.upperTail(ub + 1, size, p) >= alpha) {
            ub++;
        }
        return ub;
    }

    @Test
    void theBoundFoundFromAGuessIsTheBoundCountedUpFromZero() {
        int checked = 0;
        for (double alpha : new double[] {1e-4, 0.01, 0.2}) {
            IntradayDetector d = new IntradayDetector(8, 56, alpha);
            for (double size : new double[] {0.5, 0.6, 1, 1.5, 3.5, 8.5, 27.5, 100.5, 448.5, 2000.5}) {
                for (double p : new double[] {0.3, 0.5, 0.8, 27.0 / 28, 56.0 / 57, 0.999}) {
                    assertEquals(countedUp(size, p, alpha), d.upperBound(size, p),
                            "size " + size + ", p " + p + ", alpha " + alpha);
                    checked++;
                }
            }
        }
        assertEquals(180, checked);
    }

    /**
     * The detector keeps the last baseline for the next event of the key in the same hour. An event in an earlier
     * hour (out of order) that falls in the baseline's days must change it: after it, the kept detector says what a
     * fresh one says, and that differs from what it said before.
     */
    @Test
    void anEarlierEventAfterALaterOneChangesTheKeptBaseline() {
        IntradayDetector kept = new IntradayDetector(8, 56, 1e-4);
        HourlyCounts h = new HourlyCounts(kept.capacityHours());
        long start = 400_000;
        for (int day = 0; day < 60; day++) {
            h.add(start + day * 24L + 10);
        }
        long now = start + 60 * 24L + 10;
        h.add(now);
        DailyVerdict before = kept.evaluate(h, now);
        assertEquals(fresh(h, now), before);
        h.add(now);
        assertEquals(fresh(h, now), kept.evaluate(h, now), "a second event in the same hour");
        for (int i = 0; i < 5; i++) {
            h.add(now - 24 * 3);
        }
        DailyVerdict after = kept.evaluate(h, now);
        assertEquals(fresh(h, now), after, "five late events three days back, in the baseline");
        assertTrue(after.expected() > before.expected(), after + " after " + before);
    }

    /** Events mostly in order, some late (within the baseline or older than the ring), the watched start moving. */
    @Test
    void theKeptBaselineAlwaysGivesAFreshDetectorsVerdict() {
        IntradayDetector kept = new IntradayDetector(8, 56, 1e-4);
        HourlyCounts h = new HourlyCounts(kept.capacityHours());
        Random random = new Random(11);
        long now = 200_000;
        h.add(now);
        int alarms = 0;
        for (int i = 0; i < 20_000; i++) {
            int move = random.nextInt(100);
            if (move < 40) {
                now += random.nextInt(3);
            } else if (move < 41) {
                now += 24 * random.nextInt(60);
            }
            long hour = random.nextInt(8) == 0 ? now - random.nextInt(1_500) : now;
            if (random.nextInt(500) == 0) {
                h.knownSince(h.first - random.nextInt(24 * 20));
            }
            h.add(hour);
            // Judged at the newest hour, and sometimes at the event's own, which sets another baseline aside.
            for (long at : random.nextBoolean() ? new long[] {now} : new long[] {now, hour}) {
                DailyVerdict v = kept.evaluate(h, at);
                assertEquals(fresh(h, at), v, "event " + i + " at hour " + hour + ", judged at " + at);
                alarms += v.alarm() ? 1 : 0;
            }
        }
        assertTrue(alarms > 0, "some windows fire");
    }

    private static DailyVerdict fresh(HourlyCounts h, long hour) {
        return new IntradayDetector(8, 56, 1e-4).evaluate(h, hour);
    }
}
