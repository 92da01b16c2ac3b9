package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The ring of one area and signal's days, fitted to the methods and history of the build that restores it. */
class DailyCountsTest {
    private static final long NONE = DailyCounts.NONE;

    /** Days 100 to 109 watched, counted 1 to 10, in a ring of {@code capacity}; a and b last alarmed on 105, 108. */
    private static DailyCounts tenDays(int capacity) {
        DailyCounts d = new DailyCounts(capacity, new String[] {"a", "b"});
        d.firstDay = 100;
        d.newestDay = 99;
        for (int c = 1; c <= 10; c++) {
            d.push(c);
        }
        d.lastAlarmDay = new long[] {105, 108};
        return d;
    }

    @Test
    void eachMethodKeepsItsLastAlarmByNameANewOneHasNoneAndARemovedOneIsDropped() {
        DailyCounts d = tenDays(4);
        d.fit(new String[] {"c", "b"}, 4);
        assertArrayEquals(new String[] {"c", "b"}, d.methods);
        assertArrayEquals(new long[] {NONE, 108}, d.lastAlarmDay);
        d.fit(new String[] {"b", "c", "a"}, 4);
        assertArrayEquals(new long[] {108, NONE, NONE}, d.lastAlarmDay, "a, dropped once, is new again");
    }

    @Test
    void stateThatFitsIsLeftAsItIs() {
        DailyCounts d = tenDays(4);
        int[] ring = d.counts;
        long[] alarms = d.lastAlarmDay;
        d.fit(new String[] {"a", "b"}, 4);
        assertSame(ring, d.counts);
        assertSame(alarms, d.lastAlarmDay);
    }

    /** Older state has no names: its alarms are those of the release's six analyst detectors, in that order. */
    @Test
    void stateWithoutNamesHoldsTheAlarmsOfThatReleasesMethodsInItsOrder() {
        DailyCounts d = tenDays(4);
        d.methods = null;
        d.lastAlarmDay = new long[] {101, 102, 103, 104, 105, 106};
        d.fit(new String[] {"excessglr_alert", "new", "earsC_C1"}, 4);
        assertArrayEquals(new long[] {106, NONE, 101}, d.lastAlarmDay);
    }

    /**
     * A ring of 4 held days 106 to 109. Widened to 8, the days before 106 are unknown (their counts were dropped),
     * and stay so when the start of watching is declared again; later days fill the ring as usual.
     */
    @Test
    void aWidenedRingKnowsOnlyTheDaysItHeldAndTheDaysAfter() {
        DailyCounts d = tenDays(4);
        d.fit(d.methods, 8);
        assertEquals(106, d.keptSince);
        d.watchedSince(100);
        assertArrayEquals(new int[] {7, 8, 9, 10}, d.window());
        d.addLate(105);
        d.addLate(107);
        assertArrayEquals(new int[] {7, 9, 9, 10}, d.window(), "a late event of an unknown day is not counted");
        for (int c = 11; c <= 15; c++) {
            d.push(c);
        }
        assertArrayEquals(new int[] {9, 9, 10, 11, 12, 13, 14, 15}, d.window());
    }

    @Test
    void aNarrowedRingKeepsTheNewestDays() {
        DailyCounts d = tenDays(8);
        d.fit(d.methods, 3);
        assertArrayEquals(new int[] {8, 9, 10}, d.window());
        assertEquals(NONE, d.keptSince);
        d.push(11);
        assertArrayEquals(new int[] {9, 10, 11}, d.window());
    }
}
