package lookout.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

    public static BenchmarkData read(Path seriesFile, Path outbreaksFile) {
        return new BenchmarkData(readSeries(seriesFile), readOutbreaks(outbreaksFile));
    }

    private static Map<Integer, Series> readSeries(Path file) {
        List<String[]> rows = rows(file);
        Map<String, Integer> col = header(rows.get(0), file, "series_id", "date", "count", "outbreak_id", "day_index",
                "in_eval");
        Map<Integer, List<String[]>> bySeries = new LinkedHashMap<>();
        for (String[] r : rows.subList(1, rows.size())) {
            bySeries.computeIfAbsent(parseInt(r[col.get("series_id")], file), k -> new ArrayList<>()).add(r);
        }
        Map<Integer, Series> out = new LinkedHashMap<>();
        for (Map.Entry<Integer, List<String[]>> e : bySeries.entrySet()) {
            int n = e.getValue().size();
            LocalDate[] dates = new LocalDate[n];
            int[] counts = new int[n];
            int[] outbreak = new int[n];
            boolean[] eval = new boolean[n];
            for (String[] r : e.getValue()) {
                int i = parseInt(r[col.get("day_index")], file) - 1;
                if (i < 0 || i >= n || dates[i] != null) {
                    throw new UsageException(file.getFileName() + ": day_index must run 1.." + n + " once per series");
                }
                dates[i] = parseDate(r[col.get("date")], file);
                counts[i] = parseInt(r[col.get("count")], file);
                if (counts[i] < 0) {
                    throw new UsageException(file.getFileName() + ": series " + e.getKey() + " counts " + counts[i]
                            + " on " + dates[i] + "; a count is 0 or more");
                }
                outbreak[i] = parseInt(r[col.get("outbreak_id")], file);
                eval[i] = parseInt(r[col.get("in_eval")], file) == 1;
            }
            out.put(e.getKey(), new Series(e.getKey(), dates, counts, outbreak, eval));
        }
        return out;
    }

    private static List<Outbreak> readOutbreaks(Path file) {
        List<String[]> rows = rows(file);
        Map<String, Integer> col = header(rows.get(0), file, "series_id", "outbreak_id", "start_date", "end_date", "k");
        List<Outbreak> out = new ArrayList<>();
        for (String[] r : rows.subList(1, rows.size())) {
            Outbreak o = new Outbreak(parseInt(r[col.get("series_id")], file),
                    parseInt(r[col.get("outbreak_id")], file), parseDate(r[col.get("start_date")], file),
                    parseDate(r[col.get("end_date")], file), parseInt(r[col.get("k")], file));
            if (o.end().isBefore(o.start())) {
                throw new UsageException(file.getFileName() + ": outbreak " + o.outbreakId() + " of series "
                        + o.seriesId() + " ends (" + o.end() + ") before it starts (" + o.start() + ")");
            }
            out.add(o);
        }
        return out;
    }

    /** The file's rows, the header first; a row of another number of fields than the header's is refused. */
    static List<String[]> rows(Path file) {
        try {
            List<String[]> rows = new ArrayList<>();
            List<String> lines = Files.readAllLines(file);
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String[] row = splitCsv(lines.get(i));
                if (!rows.isEmpty() && row.length != rows.get(0).length) {
                    throw new UsageException(file.getFileName() + " line " + (i + 1) + ": " + row.length
                            + " fields where the header has " + rows.get(0).length);
                }
                rows.add(row);
            }
            if (rows.isEmpty()) {
                throw new UsageException(file.getFileName() + " is empty");
            }
            return rows;
        } catch (NoSuchFileException e) {
            throw new UsageException("file not found: " + file);
        } catch (IOException e) {
            throw new UsageException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    /** The files are R's write.csv output: commas, no embedded commas, strings in double quotes. */
    private static String[] splitCsv(String line) {
        String[] cells = line.split(",", -1);
        for (int i = 0; i < cells.length; i++) {
            String c = cells[i].strip();
            cells[i] = c.length() >= 2 && c.startsWith("\"") && c.endsWith("\"") ? c.substring(1, c.length() - 1) : c;
        }
        return cells;
    }

    static Map<String, Integer> header(String[] header, Path file, String... required) {
        Map<String, Integer> col = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
            col.put(header[i], i);
        }
        for (String name : required) {
            if (!col.containsKey(name)) {
                throw new UsageException(file.getFileName() + " has no column " + name);
            }
        }
        return col;
    }

    static int parseInt(String s, Path file) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new UsageException(file.getFileName() + ": expected a whole number in an integer column");
        }
    }

    private static LocalDate parseDate(String s, Path file) {
        try {
            return LocalDate.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException(file.getFileName() + ": expected a date as YYYY-MM-DD");
        }
    }
}
