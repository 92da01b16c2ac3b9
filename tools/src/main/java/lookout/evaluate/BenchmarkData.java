package lookout.evaluate;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import lookout.kernel.UsageException;

/**
 * The detection benchmark's daily series and outbreak list (the columns of {@code ../shared/detection-benchmark}).
 * Series are held as arrays indexed by day_index - 1 so detectors see the same history as the package did.
 */
public record BenchmarkData(Map<Integer, Series> series, List<Outbreak> outbreaks) {

    /** One series: counts, the ground-truth outbreak id per day (0 outside outbreaks) and the evaluation flag. */
    public record Series(int id, LocalDate[] dates, int[] counts, int[] outbreakId, boolean[] inEval) {
        public int firstEvalIndex() {
            for (int i = 0; i < inEval.length; i++) {
                if (inEval[i]) {
                    return i;
                }
            }
            return inEval.length;
        }
    }

    public record Outbreak(int seriesId, int outbreakId, LocalDate start, LocalDate end, int k) {}

    /**
     * The series and outbreaks, refusing files that would score nothing: a header without rows, or no outbreak on a
     * judged day (one whose in_eval is 1), which left every detection rate 0/0.
     */
    public static BenchmarkData read(Path seriesFile, Path outbreaksFile) {
        BenchmarkData data = new BenchmarkData(readSeries(seriesFile), readOutbreaks(outbreaksFile));
        if (data.outbreaks().stream().noneMatch(data::judged)) {
            throw new UsageException("no outbreak of " + outbreaksFile.getFileName() + " has a day with in_eval 1 in "
                    + seriesFile.getFileName() + " (its series_id and outbreak_id on that day): no detection to score");
        }
        return data;
    }

    /** Whether a day of the outbreak is judged: the benchmark's outbreaks are scored on those days alone. */
    private boolean judged(Outbreak o) {
        Series s = series.get(o.seriesId());
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.inEval().length; i++) {
            if (s.inEval()[i] && s.outbreakId()[i] == o.outbreakId()) {
                return true;
            }
        }
        return false;
    }

    private static Map<Integer, Series> readSeries(Path file) {
        BenchmarkCsv csv = BenchmarkCsv.read(file, "series_id", "date", "count", "outbreak_id", "day_index", "in_eval");
        Map<Integer, List<BenchmarkCsv.Row>> bySeries = new LinkedHashMap<>();
        for (BenchmarkCsv.Row r : csv.requireRows()) {
            bySeries.computeIfAbsent(r.integer("series_id"), k -> new ArrayList<>()).add(r);
        }
        Map<Integer, Series> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<BenchmarkCsv.Row>> e : bySeries.entrySet()) {
            int n = e.getValue().size();
            LocalDate[] dates = new LocalDate[n];
            int[] counts = new int[n];
            int[] outbreak = new int[n];
            boolean[] eval = new boolean[n];
            for (BenchmarkCsv.Row r : e.getValue()) {
                int i = r.integer("day_index") - 1;
                if (i < 0 || i >= n || dates[i] != null) {
                    throw r.error("day_index", "series " + e.getKey() + " has " + n + " rows, so its day_index runs 1.."
                            + n + ", each once");
                }
                dates[i] = r.date("date");
                counts[i] = r.integer("count");
                if (counts[i] < 0) {
                    throw r.error("count", counts[i] + " events; a count is 0 or more");
                }
                outbreak[i] = r.integer("outbreak_id");
                eval[i] = r.flag("in_eval");
            }
            out.put(e.getKey(), new Series(e.getKey(), dates, counts, outbreak, eval));
        }
        return out;
    }

    private static List<Outbreak> readOutbreaks(Path file) {
        BenchmarkCsv csv = BenchmarkCsv.read(file, "series_id", "outbreak_id", "start_date", "end_date", "k");
        List<Outbreak> out = new ArrayList<>();
        for (BenchmarkCsv.Row r : csv.requireRows()) {
            Outbreak o = new Outbreak(r.integer("series_id"), r.integer("outbreak_id"), r.date("start_date"),
                    r.date("end_date"), r.integer("k"));
            if (o.outbreakId() < 1) {
                // The series file's outbreak_id 0 marks the days outside outbreaks.
                throw r.error("outbreak_id", "expected 1 or more");
            }
            if (o.end().isBefore(o.start())) {
                throw new UsageException(file.getFileName() + ": outbreak " + o.outbreakId() + " of series "
                        + o.seriesId() + " ends (" + o.end() + ") before it starts (" + o.start() + ")");
            }
            out.add(o);
        }
        return out;
    }
}
