package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** The ring of one area and signal's hours: window sums, and the ring fitted to the history a restoring build reads. */
class HourlyCountsTest {
    /** What the ring must answer: events in the window, counting only hours the ring keeps when each was added. */
    private static int naive(List<Long> kept, long toHour, int hours, long newest, int capacity) {
        int s = 0;
        for (long h : kept) {
            if (h > toHour - hours && h <= toHour && h > newest - capacity) {
                s++;
            }
        }
        return s;
    }

    @Test
    void windowSumsEqualCountingEveryKeptEventThroughGapsAndLateEvents() {
        int capacity = 60;
        HourlyCounts ring = new HourlyCounts(capacity);
        List<Long> kept = new ArrayList<>();
        Random random = new Random(42);
        long now = 1_000;
        int checked = 0;
        for (int i = 0; i < 5_000; i++) {
            int move = random.nextInt(100);
            if (move < 3) {
                now += 70 + random.nextInt(50);
            } else if (move < 30) {
                now += random.nextInt(4);
            }
            long hour = random.nextInt(10) == 0 ? now - random.nextInt(80) : now;
            if (ring.newest == Long.MIN_VALUE || hour > ring.newest - capacity) {
                kept.add(hour);
            }
            ring.add(hour);
            for (int hours : new int[] {1, 8, 24, capacity}) {
                long to = ring.newest - random.nextInt(capacity + 20);
                assertEquals(naive(kept, to, hours, ring.newest, capacity), ring.sum(to, hours),
                        "window of " + hours + " h ending at hour " + to + " after " + (i + 1) + " adds");
                checked++;
            }
        }
        assertEquals(20_000, checked);
    }

    /** Hours 100 to 109 watched, with 1 to 10 events, in a ring of {@code capacity} hours. */
    private static HourlyCounts tenHours(int capacity) {
        HourlyCounts c = new HourlyCounts(capacity);
        for (long h = 100; h <= 109; h++) {
            for (int i = 0; i < h - 99; i++) {
                c.add(h);
            }
        }
        return c;
    }

    /** Every window of 1 to 12 hours ending at hours 95 to 115. */
    private static List<Integer> everySum(HourlyCounts c) {
        List<Integer> out = new ArrayList<>();
        for (long to = 95; to <= 115; to++) {
            for (int hours = 1; hours <= 12; hours++) {
                out.add(c.sum(to, hours));
            }
        }
        return out;
    }

    /** The events of each hour from {@code from} to {@code to}. */
    private static List<Integer> hourly(HourlyCounts c, long from, long to) {
        List<Integer> out = new ArrayList<>();
        for (long h = from; h <= to; h++) {
            out.add(c.sum(h, 1));
        }
        return out;
    }

    /**
     * A ring of 4 held hours 106 to 109 (7 to 10 events). Widened to 8, every window sums as before, also where the
     * running totals wrap past Integer.MAX_VALUE; the hours before 106 are unknown (their counts were dropped), and
     * stay so when the start of watching is declared again, until later hours push them out of the ring.
     */
    @Test
    void aWidenedRingSumsItsHoursAsBeforeAndKnowsOnlyTheHoursItHeldAndTheHoursAfter() {
        HourlyCounts c = tenHours(4);
        for (int i = 0; i < c.totals.length; i++) {
            // As if 2^31 events had been counted before: the totals of hours 105 to 109 wrap past the int range.
            c.totals[i] += Integer.MAX_VALUE - 40;
        }
        List<Integer> before = everySum(c);
        c.fit(8);
        assertEquals(before, everySum(c));
        assertEquals(34, c.sum(109, 8));
        assertEquals(106, c.keptSince);
        c.knownSince(90);
        assertEquals(90, c.first);
        assertEquals(106, c.oldestKept(), "declared watched, the dropped hours are still unknown");
        c.add(105);
        c.add(107);
        assertEquals(List.of(0, 7, 9, 9, 10), hourly(c, 105, 109), "an event of an unknown hour is not counted");
        for (long h = 110; h <= 114; h++) {
            c.add(h);
        }
        assertEquals(107, c.oldestKept());
        assertEquals(List.of(9, 9, 10, 1, 1, 1, 1, 1), hourly(c, 107, 114));
    }

    @Test
    void aNarrowedRingKeepsTheNewestHours() {
        HourlyCounts c = tenHours(8);
        c.fit(3);
        assertEquals(107, c.oldestKept());
        assertEquals(Long.MIN_VALUE, c.keptSince);
        assertEquals(List.of(0, 8, 9, 10), hourly(c, 106, 109));
        c.add(110);
        assertEquals(List.of(0, 9, 10, 1), hourly(c, 107, 110));
    }

    @Test
    void aRingThatFitsIsLeftAsItIs() {
        HourlyCounts c = tenHours(4);
        int[] ring = c.totals;
        c.fit(4);
        assertSame(ring, c.totals);
        assertEquals(Long.MIN_VALUE, c.keptSince);
    }
}
