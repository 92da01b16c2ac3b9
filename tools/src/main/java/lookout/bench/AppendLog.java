package lookout.bench;

import java.util.Arrays;

import lookout.ingest.Source;

/**
 * When each event was appended to Kafka, per signal in append order. Each signal has one single-partition
 * topic, so the job applies a signal's events in this order and "the first n events of a signal are
 * visible" is exactly what a count of n in DuckDB means.
 */
final class AppendLog {
    private final long[][] nanos = new long[Source.values().length][];
    private final int[] size = new int[Source.values().length];

    AppendLog() {
        for (int i = 0; i < nanos.length; i++) {
            nanos[i] = new long[1 << 16];
        }
    }

    synchronized void appended(Source source, long atNanos) {
        int s = source.ordinal();
        if (size[s] == nanos[s].length) {
            nanos[s] = Arrays.copyOf(nanos[s], nanos[s].length * 2);
        }
        nanos[s][size[s]++] = atNanos;
    }

    synchronized int count(Source source) {
        return size[source.ordinal()];
    }

    synchronized long total() {
        return Arrays.stream(size).asLongStream().sum();
    }

    /** Append time of the {@code index}-th (from 0) event of {@code source}. */
    synchronized long at(Source source, int index) {
        return nanos[source.ordinal()][index];
    }
}
