package lookout.evaluate;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import lookout.detect.DailyDetector;
import lookout.detect.DailyVerdict;
import lookout.detect.DetectorCatalog;
import lookout.kernel.Command;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/**
 * {@code ./lookout eval-detection}: scores every daily detector on a benchmark (by default the R package's
 * development set in {@code ../shared/detection-benchmark}) with the README's metrics, beside the package's own
 * results from {@code summary.csv} when that file sits next to the series.
 */
public final class EvalDetectionCommand implements Command {

    @Override
    public String name() {
        return "eval-detection";
    }

    @Override
    public String summary() {
        return "score the spike detectors on a benchmark (POD, false-positive rate, delay) beside the R package";
    }

    @Override
    public String usage() {
        return """
                Usage: ./lookout eval-detection --series FILE --outbreaks FILE [--out DIR] [--oracle]

                Runs every daily detector and setting over each series (every day of the evaluation year, judged
                from the days before it) and prints, per method: POD (outbreaks with an alarm on one of their
                days / outbreaks), FPR (alarms on non-outbreak days / non-outbreak days) and the median delay in
                days from outbreak start to first alarm. Rows of summary.csv next to the series file (the R
                package's results) are printed beside them.

                  --series FILE     daily counts: series_id,date,count,outbreak_id,day_index,in_eval
                  --outbreaks FILE  series_id,outbreak_id,start_date,end_date,k
                  --out DIR         also write alarms_<method>.csv (series_id,date,observed,upperbound,alarm);
                                    never the directory of --series or --outbreaks, which holds the R package's
                                    alarms files under the same names
                  --oracle          also score tests that know the generating process (the baseline_mean
                                    column and scenarios.csv's phi): what any detector could reach on this set
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out) throws IOException {
        Options o = Options.parse(name(), args, Set.of("series", "outbreaks", "out"), Set.of("oracle"));
        Path seriesFile = Path.of(o.required("series"));
        Path outbreaksFile = Path.of(o.required("outbreaks"));
        BenchmarkData data = BenchmarkData.read(seriesFile, outbreaksFile);
        Map<String, PackageRow> packageRows = PackageRow.read(seriesFile.resolveSibling("summary.csv"));
        BenchmarkOracle oracle = o.has("oracle") ? BenchmarkOracle.read(seriesFile) : null;
        List<DailyDetector> detectors = DetectorCatalog.benchmarkDetectors();
        requireHistory(data, detectors, seriesFile);
        Path outDir = o.has("out") ? Path.of(o.get("out")) : null;
        if (outDir != null) {
            createOutputDirectory(outDir, seriesFile, outbreaksFile);
        }

        out.printf(Locale.ROOT, "%-38s %14s %18s %6s   %-28s%n", "method", "POD", "FPR", "delay",
                "R package: POD / FPR / delay");
        List<String> shown = new ArrayList<>();
        // Each detector's run is independent and its detector immutable, so they share the cores; the rows keep
        // the catalogue's order.
        List<Map<Integer, DailyVerdict[]>> runs = detectors.parallelStream().map(d -> BenchmarkRun.run(d, data))
                .toList();
        for (int i = 0; i < detectors.size(); i++) {
            DailyDetector detector = detectors.get(i);
            Map<Integer, DailyVerdict[]> verdicts = runs.get(i);
            BenchmarkScore s = BenchmarkScore.score(detector.method(), data, verdicts);
            PackageRow r = packageRows.get(detector.method());
            out.println(line(s, r));
            shown.add(detector.method());
            if (outDir != null) {
                writeAlarms(outDir.resolve("alarms_" + detector.method() + ".csv"), data, verdicts);
            }
        }
        for (PackageRow r : packageRows.values()) {
            if (!shown.contains(r.method())) {
                out.printf(Locale.ROOT, "%-38s %14s %18s %6s   %s%n", r.method(), "", "", "", r.figures());
            }
        }
        if (oracle != null) {
            for (BenchmarkOracle.Setting setting : BenchmarkOracle.SETTINGS) {
                out.println(line(oracle.score(setting, data), null));
            }
        }
        return 0;
    }

    /**
     * Refuses a series judged before every detector can judge it (as the R package refuses such a range): EARS
     * stopped the run with "failed: IllegalArgumentException" after printing the table's header.
     */
    private static void requireHistory(BenchmarkData data, List<DailyDetector> detectors, Path seriesFile) {
        int need = detectors.stream().mapToInt(DailyDetector::minHistoryDays).max().orElse(0);
        for (BenchmarkData.Series s : data.series().values()) {
            if (s.firstEvalIndex() < need) {
                throw new UsageException(seriesFile.getFileName() + ": series " + s.id() + " is judged from day_index "
                        + (s.firstEvalIndex() + 1) + " (its first in_eval 1), but every detector judges a day from "
                        + need + " days before it");
            }
        }
    }

    /**
     * Refuses the directory of the benchmark's inputs: it holds the R package's alarms_&lt;method&gt;.csv, the
     * reference Lookout is compared with, under the very names Lookout writes.
     */
    private static void createOutputDirectory(Path outDir, Path seriesFile, Path outbreaksFile) throws IOException {
        if (Files.exists(outDir) && !Files.isDirectory(outDir)) {
            throw new UsageException("--out " + outDir + " is not a directory");
        }
        for (Path input : List.of(seriesFile, outbreaksFile)) {
            Path inputDir = input.toAbsolutePath().getParent();
            if (Files.isDirectory(outDir) && Files.isSameFile(outDir, inputDir)) {
                throw new UsageException("--out " + outDir + " holds the benchmark's input " + input
                        + " and its reference alarms files: choose another directory");
            }
        }
        try {
            Files.createDirectories(outDir);
        } catch (IOException e) {
            throw new UsageException("cannot create the --out directory " + outDir);
        }
    }

    static String line(BenchmarkScore s, PackageRow r) {
        return String.format(Locale.ROOT, "%-38s %6.4f (%2d/%2d) %6.4f (%4d/%4d) %6s   %s", s.method(), s.pod(),
                s.detected(), s.evaluableOutbreaks(), s.fpr(), s.falseAlarms(), s.nonOutbreakDays(),
                delay(s.medianDelay()), r == null ? "" : r.figures());
    }

    private static String delay(double d) {
        return Double.isNaN(d) ? "NA" : String.format(Locale.ROOT, "%.1f", d);
    }

    private static void writeAlarms(Path file, BenchmarkData data, Map<Integer, DailyVerdict[]> verdicts)
            throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            w.write("series_id,date,observed,upperbound,alarm\n");
            for (BenchmarkData.Series s : data.series().values()) {
                DailyVerdict[] v = verdicts.get(s.id());
                for (int i = 0; i < v.length; i++) {
                    if (v[i] == null) {
                        continue;
                    }
                    String ub = v[i].defined() ? Double.toString(v[i].upperbound()) : "NA";
                    String alarm = v[i].defined() ? (v[i].alarm() ? "1" : "0") : "NA";
                    w.write(s.id() + "," + s.dates()[i] + "," + v[i].observed() + "," + ub + "," + alarm + "\n");
                }
            }
        }
    }

    /** One row of the package's summary.csv, shown beside Lookout's figures for the same method name. */
    record PackageRow(String method, double pod, double fpr, String medianDelay) {
        String figures() {
            return String.format(Locale.ROOT, "%.4f / %.4f / %s", pod, fpr, medianDelay);
        }

        static Map<String, PackageRow> read(Path file) {
            Map<String, PackageRow> out = new LinkedHashMap<>();
            if (!Files.isRegularFile(file)) {
                return out;
            }
            for (BenchmarkCsv.Row r : BenchmarkCsv.read(file, "method", "POD", "FPR", "median_delay_days").rows()) {
                out.put(r.text("method"), new PackageRow(r.text("method"), r.number("POD"), r.number("FPR"),
                        r.text("median_delay_days")));
            }
            return out;
        }
    }
}
