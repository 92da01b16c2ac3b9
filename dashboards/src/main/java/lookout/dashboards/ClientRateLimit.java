package lookout.dashboards;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * At most {@code max} requests per client address in any {@code window}, counted in memory only: an address is
 * forgotten once its window has passed, and is never written anywhere.
 */
final class ClientRateLimit {
    private final int max;
    private final long window;
    private final Clock clock;
    private final Map<String, Deque<Long>> recent = new HashMap<>();

    ClientRateLimit(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window.toMillis();
        this.clock = clock;
    }

    /** Whether {@code client} may make one more request now; if so, it is counted. */
    synchronized boolean allow(String client) {
        long now = clock.millis();
        forgetBefore(now - window);
        Deque<Long> times = recent.computeIfAbsent(client, c -> new ArrayDeque<>());
        if (times.size() >= max) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    /** Whether {@code client} has used up its requests for now (nothing is counted). */
    synchronized boolean exhausted(String client) {
        forgetBefore(clock.millis() - window);
        Deque<Long> times = recent.get(client);
        return times != null && times.size() >= max;
    }

    private void forgetBefore(long start) {
        for (Iterator<Deque<Long>> it = recent.values().iterator(); it.hasNext();) {
            Deque<Long> times = it.next();
            while (!times.isEmpty() && times.peekFirst() <= start) {
                times.removeFirst();
            }
            if (times.isEmpty()) {
                it.remove();
            }
        }
    }
}
