package lookout.evaluate;

import java.util.LinkedHashMap;
import java.util.Map;

import lookout.detect.DailyDetector;
import lookout.detect.DailyHistory;
import lookout.detect.DailyVerdict;

/**
 * Runs a daily detector over every benchmark series as the package ran its methods: each day of the evaluation
 * year is judged from the full history before it, and restarting detectors learn of their own alarms.
 */
public final class BenchmarkRun {
    private BenchmarkRun() {}

    /** Verdicts per series id, indexed by day; null before the evaluation year. */
    public static Map<Integer, DailyVerdict[]> run(DailyDetector detector, BenchmarkData data) {
        Map<Integer, DailyVerdict[]> out = new LinkedHashMap<>();
        for (BenchmarkData.Series s : data.series().values()) {
            DailyVerdict[] v = new DailyVerdict[s.counts().length];
            int lastAlarm = DailyHistory.NO_ALARM;
            for (int t = s.firstEvalIndex(); t < v.length; t++) {
                if (!s.inEval()[t]) {
                    continue;
                }
                v[t] = detector.evaluate(new DailyHistory(s.counts(), t, s.dates()[t].getDayOfWeek(), lastAlarm));
                if (v[t].alarm()) {
                    lastAlarm = t;
                }
            }
            out.put(s.id(), v);
        }
        return out;
    }
}
