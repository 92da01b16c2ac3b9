package lookout.bench.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import lookout.demo.Poisson;
import lookout.detect.DailyVerdict;
import lookout.detect.DetectorCatalog;
import lookout.detect.HourlyCounts;
import lookout.detect.IntradayDetector;

/**
 * The intraday detector's work per paramedic or naloxone event, as {@code AreaSignalDetector} does it after
 * reading its keyed state: count the event in the key's {@link HourlyCounts}, then judge the trailing window with
 * the job's default {@link IntradayDetector} against the same hours of the previous 56 days.
 *
 * <p>Toronto's 158 areas times the two alerting signals, each key with a steady rate between 0.25 and 1.75
 * events an hour (1 on average, about what the bench's one-year backfill puts in each area and signal), every
 * key's history full before measuring, and time moving forward through the events, so the detector's cached
 * bounds are recomputed whenever a key starts a new hour, as they would be.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class IntradayUpdateBenchmark {
    private static final int KEYS = 2 * 158;
    private static final int HOURS = 512;

    private IntradayDetector detector;
    private HourlyCounts[] counts;
    private int[] key;
    private int[] hourOffset;
    private long base;
    private int next;

    @Setup
    public void setUp() {
        detector = DetectorCatalog.intradayDefault();
        SplittableRandom random = new SplittableRandom(13);
        double[] rate = new double[KEYS];
        counts = new HourlyCounts[KEYS];
        long first = 400_000;
        for (int k = 0; k < KEYS; k++) {
            rate[k] = 0.25 + 1.5 * random.nextDouble();
            counts[k] = new HourlyCounts(detector.capacityHours());
            for (long h = first; h < first + detector.capacityHours(); h++) {
                for (int n = Poisson.draw(rate[k], random::nextDouble); n > 0; n--) {
                    counts[k].add(h);
                }
            }
        }
        base = first + detector.capacityHours();
        List<int[]> events = new ArrayList<>();
        for (int h = 0; h < HOURS; h++) {
            List<int[]> hour = new ArrayList<>();
            for (int k = 0; k < KEYS; k++) {
                for (int n = Poisson.draw(rate[k], random::nextDouble); n > 0; n--) {
                    hour.add(new int[] {k, h});
                }
            }
            for (int i = hour.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int[] swap = hour.get(i);
                hour.set(i, hour.get(j));
                hour.set(j, swap);
            }
            events.addAll(hour);
        }
        key = events.stream().mapToInt(e -> e[0]).toArray();
        hourOffset = events.stream().mapToInt(e -> e[1]).toArray();
    }

    @Benchmark
    public DailyVerdict countAndJudge() {
        if (next == key.length) {
            next = 0;
            base += HOURS;
        }
        int i = next++;
        HourlyCounts c = counts[key[i]];
        long hour = base + hourOffset[i];
        c.add(hour);
        return detector.evaluate(c, hour);
    }
}
