package lookout.bench.micro;

import java.time.DayOfWeek;
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
import lookout.detect.DailyHistory;
import lookout.detect.DailyVerdict;
import lookout.detect.DetectorCatalog;
import lookout.detect.ExcessGlrDetector;
import lookout.detect.SeasonalBaseline;

/**
 * The daily GLR baseline in a year-long backfill: every key's day of the year judged in turn, each from the days
 * before it (under a year, so the model without trend and cycle). {@code fitByWeekday} is the fit the job makes
 * (from each weekday's distinct counts), {@code fitByDay} the same fit summed over every day as it was made before,
 * {@code judgeDay} the whole daily judgement at the alert setting (fit plus statistic and bound). Each call takes
 * the next (series, day) pair, so the average is over the days of the year, as a backfill's per-day cost is.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BaselineFitBenchmark {
    private static final int SERIES = 16;
    private static final int DAYS = 365;

    private ExcessGlrDetector detector;
    private DailyHistory[] histories;
    private int next;

    @Setup
    public void setUp() {
        detector = DetectorCatalog.alerting();
        SplittableRandom random = new SplittableRandom(17);
        double[] weekday = {0.9, 0.85, 0.9, 1.0, 1.15, 1.2, 1.0};
        int first = detector.minHistoryDays();
        histories = new DailyHistory[SERIES * (DAYS - first)];
        int h = 0;
        for (int s = 0; s < SERIES; s++) {
            double mean = 0.05 + 4.95 * random.nextDouble();
            int[] counts = new int[DAYS];
            for (int d = 0; d < DAYS; d++) {
                counts[d] = Poisson.draw(mean * weekday[d % 7], random::nextDouble);
            }
            for (int t = first; t < DAYS; t++) {
                histories[h++] = new DailyHistory(counts, t, DayOfWeek.of(1 + t % 7), DailyHistory.NO_ALARM);
            }
        }
    }

    private DailyHistory nextDay() {
        DailyHistory h = histories[next];
        next = (next + 1) % histories.length;
        return h;
    }

    @Benchmark
    public SeasonalBaseline fitByWeekday() {
        DailyHistory h = nextDay();
        int to = h.t() - ExcessGlrDetector.GUARD;
        return SeasonalBaseline.fit(h.counts(), Math.max(0, to - ExcessGlrDetector.FIT_DAYS), to, h.t(),
                h.dayOfWeek());
    }

    @Benchmark
    public SeasonalBaseline fitByDay() {
        DailyHistory h = nextDay();
        int to = h.t() - ExcessGlrDetector.GUARD;
        return SeasonalBaseline.byDay(h.counts(), Math.max(0, to - ExcessGlrDetector.FIT_DAYS), to, h.t(),
                h.dayOfWeek());
    }

    @Benchmark
    public DailyVerdict judgeDay() {
        return detector.evaluate(nextDay());
    }
}
