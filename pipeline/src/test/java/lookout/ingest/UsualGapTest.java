package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;

class UsualGapTest {
    private static final ZoneId TORONTO = ZoneId.of("America/Toronto");
    private static final long MINUTE = 60_000;
    /** Multiple 10, floor 5 minutes, 20 gaps of history. */
    private final UsualGap rule = new UsualGap(10, 5 * MINUTE, 20);

    @Test
    void hoursOfTheWeekStartOnMondayMidnightInTheCitysZone() {
        assertEquals(0, UsualGap.hourOfWeek(Instant.parse("2026-03-02T05:00:00Z").toEpochMilli(), TORONTO),
                "Monday 00:00 in Toronto (EST)");
        assertEquals(167, UsualGap.hourOfWeek(Instant.parse("2026-03-02T04:59:59Z").toEpochMilli(), TORONTO),
                "Sunday 23:59 in Toronto");
        assertEquals(14, UsualGap.hourOfWeek(Instant.parse("2026-03-02T19:30:00Z").toEpochMilli(), TORONTO));
    }

    @Test
    void theMeanOfAnHoursGapsThenAWeightedMeanThatFollowsAChange() {
        UsualGap.Gaps g = new UsualGap.Gaps();
        for (long gap : new long[] {10, 20, 30}) {
            g = g.plus(gap * MINUTE);
        }
        assertEquals(new UsualGap.Gaps(3, 20 * MINUTE), g, "three gaps: their plain mean");
        for (int i = 3; i < UsualGap.FULL_WEIGHT; i++) {
            g = g.plus(20 * MINUTE);
        }
        assertEquals(20 * MINUTE, g.meanMillis, 1e-6);
        g = g.plus(120 * MINUTE);
        assertEquals(101, g.count);
        assertEquals(21 * MINUTE, g.meanMillis, 1e-6, "beyond 100 gaps a new one weighs 1/100: 20 + (120 - 20) / 100");
    }

    @Test
    void anHourWithEnoughHistoryIsJudgedByItsOwnGaps() {
        Map<Integer, UsualGap.Gaps> history = new HashMap<>();
        history.put(14, new UsualGap.Gaps(20, 10 * MINUTE));
        history.put(38, new UsualGap.Gaps(500, 40 * MINUTE));
        assertEquals(OptionalDouble.of(10 * MINUTE), rule.usualMillis(14, history::get));
        assertEquals(100 * MINUTE, rule.silenceAfterMillis(10 * MINUTE), "silent after ten usual gaps");
    }

    @Test
    void thinHistoryFallsBackToTheHourOfTheDayThenToAllHours() {
        Map<Integer, UsualGap.Gaps> history = new HashMap<>();
        history.put(3, new UsualGap.Gaps(10, 60 * MINUTE));      // Monday 3 am: too few alone
        history.put(27, new UsualGap.Gaps(10, 30 * MINUTE));     // Tuesday 3 am
        history.put(14, new UsualGap.Gaps(19, 8 * MINUTE));      // Monday 2 pm: one gap short
        assertEquals(45 * MINUTE, rule.usualMillis(3, history::get).getAsDouble(), 1e-6,
                "Monday 3 am has 10 gaps: with Tuesday's 10 the hour of the day has 20, a mean of 45 minutes");
        assertEquals((10 * 60 + 10 * 30 + 19 * 8) * MINUTE / 39.0, rule.usualMillis(14, history::get).getAsDouble(), 1e-6,
                "2 pm has 19 gaps in all: every hour's 39 gaps together");
    }

    @Test
    void aFreshDeploymentWithTooLittleHistoryAnywhereIsNeverCalledSilent() {
        Map<Integer, UsualGap.Gaps> history = new HashMap<>();
        history.put(14, new UsualGap.Gaps(19, MINUTE));
        assertTrue(rule.usualMillis(14, history::get).isEmpty());
        assertTrue(rule.usualMillis(14, h -> null).isEmpty());
    }

    @Test
    void theUsualGapIsNeverShorterThanTheFloor() {
        Map<Integer, UsualGap.Gaps> history = new HashMap<>();
        history.put(14, new UsualGap.Gaps(50, 30_000));
        assertEquals(OptionalDouble.of(5 * MINUTE), rule.usualMillis(14, history::get),
                "a record every 30 s is judged as one every 5 minutes");
        assertEquals(50 * MINUTE, rule.earliestSilenceMillis());
    }
}
