package lookout.bench;

import java.util.ArrayList;
import java.util.List;

import lookout.ingest.Source;

/**
 * Observations of how many events of each signal an outside reader could see, and when. A probe for another
 * output (the alert topic, once detection is in the job) adds its own observations of the same shape.
 */
final class Visibility {
    record Seen(long atNanos, long[] countBySignal) {}

    private final List<Seen> seen = new ArrayList<>();

    synchronized void observed(long atNanos, long[] countBySignal) {
        seen.add(new Seen(atNanos, countBySignal.clone()));
    }

    synchronized long visible(Source source) {
        return seen.isEmpty() ? 0 : seen.get(seen.size() - 1).countBySignal()[source.ordinal()];
    }

    synchronized long visibleTotal() {
        if (seen.isEmpty()) {
            return 0;
        }
        long total = 0;
        for (long n : seen.get(seen.size() - 1).countBySignal()) {
            total += n;
        }
        return total;
    }

    /**
     * Latency in milliseconds of every event appended in [{@code fromNanos}, {@code toNanos}): from its
     * append to the first observation that includes it; events never seen are left out and counted apart.
     */
    synchronized Latencies latencies(AppendLog appends, long fromNanos, long toNanos) {
        List<Double> ms = new ArrayList<>();
        long unseen = 0;
        for (Source s : Source.values()) {
            int n = appends.count(s);
            int obs = 0;
            for (int i = 0; i < n; i++) {
                long at = appends.at(s, i);
                if (at < fromNanos || at >= toNanos) {
                    continue;
                }
                while (obs < seen.size() && seen.get(obs).countBySignal()[s.ordinal()] < i + 1L) {
                    obs++;
                }
                if (obs == seen.size()) {
                    unseen++;
                } else {
                    ms.add((seen.get(obs).atNanos() - at) / 1e6);
                }
            }
        }
        return Latencies.of(ms, unseen);
    }
}
