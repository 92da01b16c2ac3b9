package lookout.bench;

import java.util.List;

/** A latency distribution in milliseconds, with how many events were never observed at all. */
record Latencies(long count, double p50, double p95, double p99, double max, long unseen) {
    static Latencies of(List<Double> ms, long unseen) {
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (v.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, unseen);
        }
        return new Latencies(v.length, quantile(v, 0.50), quantile(v, 0.95), quantile(v, 0.99), v[v.length - 1], unseen);
    }

    /** Nearest-rank quantile: the smallest value at least {@code q} of the sample is at or below. */
    static double quantile(double[] sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }
}
