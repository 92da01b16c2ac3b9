package lookout.bench.micro;

import java.time.DayOfWeek;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import lookout.demo.Poisson;
import lookout.detect.DailyHistory;
import lookout.detect.DailyVerdict;
import lookout.detect.DetectorCatalog;
import lookout.detect.ExcessGlrDetector;

/**
 * The daily judgement that opens alerts: {@link ExcessGlrDetector} at the alert setting judging one day of one
 * area and signal, as {@code AreaSignalDetector} does once per key and day, from {@code historyDays} days of
 * counts: 365 is the last day of a year-long backfill, whose fit window is too short for the seasonal terms (the
 * weekday-only model), 735 a full history (two years and a week), fitted with them. The series are used in turn,
 * so each judgement fits its baseline afresh: in the job the day's first GLR setting pays for the fit and the
 * other two reuse it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DailyJudgementBenchmark {
    private static final int SERIES = 64;

    @Param({"365", "735"})
    public int historyDays;

    private ExcessGlrDetector detector;
    private DailyHistory[] histories;
    private int next;

    @Setup
    public void setUp() {
        detector = DetectorCatalog.alerting();
        SplittableRandom random = new SplittableRandom(17);
        int days = detector.historyDays() + 1;
        double[] weekday = {0.9, 0.85, 0.9, 1.0, 1.15, 1.2, 1.0};
        histories = new DailyHistory[SERIES];
        for (int s = 0; s < SERIES; s++) {
            double mean = 0.3 + 4.7 * random.nextDouble();
            int[] counts = new int[days];
            for (int d = 0; d < days; d++) {
                double season = 1 + 0.2 * Math.sin(2 * Math.PI * d / 365.25);
                counts[d] = Poisson.draw(mean * weekday[d % 7] * season, random::nextDouble);
            }
            int t = Math.min(historyDays, days - 1);
            histories[s] = new DailyHistory(counts, t, DayOfWeek.of(1 + t % 7), DailyHistory.NO_ALARM);
        }
    }

    @Benchmark
    public DailyVerdict judgeDay() {
        return detector.evaluate(histories[next++ & (SERIES - 1)]);
    }
}
