package lookout.evaluate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lookout.detect.DailyHistory;
import lookout.detect.DailyVerdict;
import lookout.detect.ExcessGlrDetector;
import lookout.kernel.UsageException;

/**
 * How well any detector could do on the benchmark if it knew the process that generated the counts: the true
 * expected count of every day ({@code baseline_mean} in series.csv) and each series' dispersion ({@code phi} in
 * scenarios.csv). No fitted baseline can beat these tests by more than luck, so their figures say which targets the
 * benchmark allows at all. Each setting is one knob shared by every series, as a deployed detector's would be.
 */
public final class BenchmarkOracle {

    /**
     * One oracle test: the excess-cases GLR at threshold {@code h} (NaN: not used), or-ed with the one-day upper
     * tail test at level {@code alpha} (0: not used). Both restart after an alarm, as the detectors do.
     */
    public record Setting(double h, double alpha) {
        public String method() {
            String glr = Double.isNaN(h) ? "" : "excessglr_h" + num(h);
            String tail = alpha > 0 ? "tail_alpha" + num(alpha) : "";
            return "oracle_" + glr + (glr.isEmpty() || tail.isEmpty() ? "" : "_or_") + tail;
        }

        private static String num(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    /** The settings printed by {@code eval-detection --oracle}: the frontier at FPR 0.003, 0.01, 0.03 and 0.05. */
    public static final List<Setting> SETTINGS = List.of(
            new Setting(5, 0), new Setting(3.5, 0), new Setting(3, 0), new Setting(2.5, 0), new Setting(2.3, 0),
            new Setting(2, 0), new Setting(1.6, 0),
            new Setting(Double.NaN, 0.01), new Setting(Double.NaN, 0.03), new Setting(Double.NaN, 0.04),
            new Setting(Double.NaN, 0.05),
            new Setting(5, 0.01), new Setting(6, 0.04));

    private final Map<Integer, double[]> means;
    private final Map<Integer, Double> phis;

    BenchmarkOracle(Map<Integer, double[]> means, Map<Integer, Double> phis) {
        this.means = means;
        this.phis = phis;
    }

    /** The truth of {@code seriesFile} (its baseline_mean column) and of scenarios.csv next to it. */
    public static BenchmarkOracle read(Path seriesFile) {
        Path scenarios = seriesFile.resolveSibling("scenarios.csv");
        if (!Files.isRegularFile(scenarios)) {
            throw new UsageException("--oracle needs scenarios.csv next to the series file");
        }
        Map<Integer, Map<Integer, Double>> byDay = new LinkedHashMap<>();
        for (BenchmarkCsv.Row r : BenchmarkCsv.read(seriesFile, "series_id", "day_index", "baseline_mean").rows()) {
            byDay.computeIfAbsent(r.integer("series_id"), k -> new LinkedHashMap<>())
                    .put(r.integer("day_index") - 1, r.number("baseline_mean"));
        }
        Map<Integer, double[]> means = new LinkedHashMap<>();
        byDay.forEach((id, days) -> {
            double[] m = new double[days.size()];
            days.forEach((i, v) -> m[i] = v);
            means.put(id, m);
        });
        Map<Integer, Double> phis = new LinkedHashMap<>();
        for (BenchmarkCsv.Row r : BenchmarkCsv.read(scenarios, "series_id", "phi").rows()) {
            phis.put(r.integer("series_id"), r.number("phi"));
        }
        return new BenchmarkOracle(means, phis);
    }

    /**
     * Verdicts per series id, indexed by day; null before the evaluation year, as {@link BenchmarkRun} gives. The
     * score is -log10 of today's one-day tail.
     */
    public Map<Integer, DailyVerdict[]> run(Setting setting, BenchmarkData data) {
        ExcessGlrDetector glr = Double.isNaN(setting.h()) ? null : new ExcessGlrDetector("oracle", setting.h());
        Map<Integer, DailyVerdict[]> out = new LinkedHashMap<>();
        for (BenchmarkData.Series s : data.series().values()) {
            double[] mu = means.get(s.id());
            Double phi = phis.get(s.id());
            if (mu == null || phi == null || mu.length != s.counts().length) {
                throw new UsageException("no true means or phi for series " + s.id());
            }
            DailyVerdict[] v = new DailyVerdict[mu.length];
            int lastAlarm = DailyHistory.NO_ALARM;
            for (int t = s.firstEvalIndex(); t < v.length; t++) {
                if (!s.inEval()[t]) {
                    continue;
                }
                DailyHistory hist = new DailyHistory(s.counts(), t, s.dates()[t].getDayOfWeek(), lastAlarm);
                double bound = glr == null ? Double.POSITIVE_INFINITY
                        : glr.judge(hist, i -> mu[i], phi).upperbound();
                if (setting.alpha() > 0) {
                    bound = Math.min(bound, UpperTail.largestQuietCount(mu[t], phi, setting.alpha()));
                }
                int y = s.counts()[t];
                boolean alarm = y > bound;
                v[t] = new DailyVerdict(y, mu[t], bound, alarm, -Math.log10(UpperTail.pValue(y, mu[t], phi)));
                if (alarm) {
                    lastAlarm = t;
                }
            }
            out.put(s.id(), v);
        }
        return out;
    }

    public BenchmarkScore score(Setting setting, BenchmarkData data) {
        return BenchmarkScore.score(setting.method(), data, run(setting, data));
    }
}
