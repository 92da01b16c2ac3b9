package lookout.evaluate;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import lookout.detect.DailyVerdict;

/**
 * The benchmark README's metrics for one method over its own range (the days that have a verdict).
 * POD counts outbreaks with at least one alarm on one of their days; FPR is alarms on non-outbreak days over
 * non-outbreak days; the delay is the first alarm on an outbreak day minus the outbreak's start, in days. NA alarms
 * count as no alarm.
 */
public record BenchmarkScore(String method, int evaluableOutbreaks, int detected, int nonOutbreakDays,
        int falseAlarms, double medianDelay, double meanDelay, int alarms, int alarmNa) {

    public double pod() {
        return (double) detected / evaluableOutbreaks;
    }

    public double fpr() {
        return (double) falseAlarms / nonOutbreakDays;
    }

    /**
     * @param verdicts per series id, one verdict per day index (0-based); null outside the method's range
     */
    public static BenchmarkScore score(String method, BenchmarkData data, Map<Integer, DailyVerdict[]> verdicts) {
        int evaluable = 0;
        int detected = 0;
        int nonOutbreak = 0;
        int falseAlarms = 0;
        int alarms = 0;
        int na = 0;
        List<Long> delays = new ArrayList<>();
        for (BenchmarkData.Series s : data.series().values()) {
            DailyVerdict[] v = verdicts.get(s.id());
            for (int i = 0; i < v.length; i++) {
                if (v[i] == null) {
                    continue;
                }
                alarms += v[i].alarm() ? 1 : 0;
                na += v[i].defined() ? 0 : 1;
                if (s.outbreakId()[i] == 0) {
                    nonOutbreak++;
                    falseAlarms += v[i].alarm() ? 1 : 0;
                }
            }
            for (BenchmarkData.Outbreak o : data.outbreaks()) {
                if (o.seriesId() != s.id()) {
                    continue;
                }
                boolean inRange = false;
                Long delay = null;
                for (int i = 0; i < v.length; i++) {
                    if (s.outbreakId()[i] != o.outbreakId() || v[i] == null) {
                        continue;
                    }
                    inRange = true;
                    if (v[i].alarm() && delay == null) {
                        delay = ChronoUnit.DAYS.between(o.start(), s.dates()[i]);
                    }
                }
                if (inRange) {
                    evaluable++;
                    if (delay != null) {
                        detected++;
                        delays.add(delay);
                    }
                }
            }
        }
        return new BenchmarkScore(method, evaluable, detected, nonOutbreak, falseAlarms, median(delays),
                delays.stream().mapToLong(Long::longValue).average().orElse(Double.NaN), alarms, na);
    }

    /** R's median: the mean of the two middle values when their number is even. */
    static double median(List<Long> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        long[] v = values.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
    }
}
