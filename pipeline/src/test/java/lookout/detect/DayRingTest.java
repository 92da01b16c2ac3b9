package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class DayRingTest {
    @Test
    void sumsTheKeptDaysOfARangeWhereverItWrapsTheRing() {
        DayRing r = new DayRing(7);
        assertEquals(0, r.sum(0, 100), "empty");
        for (long day = 20_000; day <= 20_010; day++) {
            for (int i = 0; i < day - 19_990; i++) {
                r.add(day);
            }
        }
        // Kept: days 20,004..20,010 with 14..20 each; older days count zero.
        assertEquals(14 + 15 + 16 + 17 + 18 + 19 + 20, r.sum(20_000, 20_010));
        assertEquals(19 + 20, r.sum(20_009, 20_020), "a range past the newest day");
        assertEquals(14, r.sum(19_000, 20_004), "a range ending on the oldest kept day");
        assertEquals(0, r.sum(19_000, 20_003), "a range before the kept days");
        assertEquals(0, r.sum(20_008, 20_007), "an empty range");
        r.add(20_003);
        assertEquals(14, r.sum(20_004, 20_004), "a day older than the kept range is ignored");
    }

    @Test
    void agreesWithCountingEveryDayOnRandomSamplesAndRanges() {
        SplittableRandom random = new SplittableRandom(7);
        DayRing r = new DayRing(63);
        TreeMap<Long, Integer> counted = new TreeMap<>();
        long newest = 19_000;
        r.add(newest);
        counted.put(newest, 1);
        for (int i = 0; i < 20_000; i++) {
            long day = newest + random.nextInt(-70, 3);
            r.add(day);
            newest = Math.max(newest, day);
            if (day > newest - 63) {
                counted.merge(day, 1, Integer::sum);
            }
            long from = newest + random.nextInt(-80, 5);
            long to = from + random.nextInt(-2, 70);
            long first = Math.max(from, newest - 62);
            int expected = first > to ? 0 : counted.subMap(first, true, to, true).values().stream()
                    .mapToInt(Integer::intValue).sum();
            assertEquals(expected, r.sum(from, to), "days " + from + ".." + to + " of newest " + newest);
        }
    }
}
