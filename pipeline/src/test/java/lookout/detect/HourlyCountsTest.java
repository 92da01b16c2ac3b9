package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

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
}
