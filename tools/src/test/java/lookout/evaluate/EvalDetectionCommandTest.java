package lookout.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import lookout.detect.DailyDetector;
import lookout.detect.DetectorCatalog;
import lookout.detect.EarsC;
import lookout.kernel.Main;
import lookout.kernel.UsageException;
import lookout.testing.SharedData;

/** Plain computation in this JVM, so it runs beside the module's other classes (junit-platform.properties). */
@Execution(ExecutionMode.CONCURRENT)
@Order(6)
class EvalDetectionCommandTest {
    /**
     * One series of 36 days, the last an outbreak's and the only one judged: the 35 before it are what every
     * detector needs (the excess GLR's guard week and four weeks fitted); and that outbreak.
     */
    private static final String SERIES = "series_id,date,count,outbreak_id,day_index,in_eval\n"
            + IntStream.rangeClosed(1, 35).mapToObj(d -> "1," + LocalDate.of(2023, 1, 1).plusDays(d - 1) + ",0,0," + d
                    + ",0\n").collect(Collectors.joining())
            + "1,2023-02-05,5,1,36,1\n";
    private static final String OUTBREAKS = "series_id,outbreak_id,start_date,end_date,k\n"
            + "1,1,2023-02-05,2023-02-05,3\n";

    @Test
    void earsFiguresEqualThePackagesSummaryRows(@TempDir Path out) throws Exception {
        Path series = SharedData.file("detection-benchmark/series.csv");
        String printed = run(List.of("--series", series.toString(), "--outbreaks",
                series.resolveSibling("outbreaks.csv").toString(), "--out", out.toString()));

        assertTrue(printed.contains(
                "earsC_C1                               0.6575 (48/73) 0.0309 ( 216/6998)    0.0   0.6575 / 0.0309 / 0"),
                printed);
        assertTrue(printed.contains(
                "earsC_C2                               0.7808 (57/73) 0.0297 ( 208/6998)    0.0   0.7808 / 0.0297 / 0"),
                printed);
        assertTrue(printed.contains(
                "earsC_C3_alpha0.001                    0.6301 (46/73) 0.0276 ( 193/6998)    1.0   0.6301 / 0.0276 / 1"),
                printed);
        assertTrue(printed.contains(
                "earsC_C3_alpha0.025                    0.7260 (53/73) 0.0546 ( 382/6998)    1.0   0.7260 / 0.0546 / 1"),
                printed);
        assertTrue(printed.contains("glrnb_daily"), "the package's own methods are listed too");
        assertTrue(printed.contains(
                "excessglr_default                      0.7945 (58/73) 0.0024 (  17/6998)    1.0"),
                "the recommended default beats glrnb's 57/73 at 0.0029: " + printed);
        assertTrue(printed.contains(
                "excessglr_sensitive                    0.9315 (68/73) 0.0267 ( 187/6998)    0.0"),
                "the sensitive setting stays within the target's FPR 0.03: " + printed);

        Map<String, EvalDetectionCommand.PackageRow> r =
                EvalDetectionCommand.PackageRow.read(series.resolveSibling("summary.csv"));
        BenchmarkData data = BenchmarkData.read(series, series.resolveSibling("outbreaks.csv"));
        for (DailyDetector d : DetectorCatalog.benchmarkDetectors()) {
            if (d instanceof EarsC) {
                BenchmarkScore s = BenchmarkScore.score(d.method(), data, BenchmarkRun.run(d, data));
                assertEquals(r.get(d.method()).pod(), s.pod(), 1e-12, d.method());
                assertEquals(r.get(d.method()).fpr(), s.fpr(), 1e-12, d.method());
            }
        }

        List<String> written = Files.readAllLines(out.resolve("alarms_earsC_C3_alpha0.001.csv"));
        assertEquals("series_id,date,observed,upperbound,alarm", written.get(0));
        assertEquals(1 + 20 * 365, written.size());
        assertEquals("1,2023-01-01,0,2.3359960501536", written.get(1).substring(0, 30));
        assertEquals(29, written.stream().filter(l -> l.endsWith(",NA,NA")).count());
    }

    @Test
    void missingArgumentsAreOneReadableLine() {
        UsageException e = assertThrows(UsageException.class, () -> run(List.of("--series", "x.csv")));
        assertEquals("--outbreaks is required (see ./lookout eval-detection --help)", e.getMessage());
        UsageException twice = assertThrows(UsageException.class,
                () -> run(List.of("--series", "a.csv", "--series", "b.csv", "--outbreaks", "o.csv")));
        assertEquals("--series is given twice; give it once (see ./lookout eval-detection --help)", twice.getMessage());
        UsageException absent = assertThrows(UsageException.class,
                () -> run(List.of("--series", "/nonexistent/s.csv", "--outbreaks", "/nonexistent/o.csv")));
        assertEquals("file not found: /nonexistent/s.csv", absent.getMessage());
    }

    /** An outbreak that ends before it starts and a short row were taken, or a stack trace. */
    @Test
    void impossibleRowsAreOneLineNamingWhereTheyAre(@TempDir Path dir) throws Exception {
        String header = "series_id,date,count,outbreak_id,day_index,in_eval\n";
        Path outbreaks = Files.writeString(dir.resolve("outbreaks.csv"),
                "series_id,outbreak_id,start_date,end_date,k\n");
        Map<String, String> series = Map.of(
                header + "1,2023-01-01,0,0,1,1\n1,2023-01-02\n",
                "series.csv line 3: 2 fields where the header has 6");
        for (Map.Entry<String, String> c : series.entrySet()) {
            Path file = Files.writeString(dir.resolve("series.csv"), c.getKey());
            UsageException e = assertThrows(UsageException.class,
                    () -> run(List.of("--series", file.toString(), "--outbreaks", outbreaks.toString())));
            assertEquals(c.getValue(), e.getMessage());
        }
        Path file = Files.writeString(dir.resolve("series.csv"), header + "1,2023-01-01,0,0,1,1\n");
        Files.writeString(outbreaks, "series_id,outbreak_id,start_date,end_date,k\n1,7,2023-03-10,2023-03-01,2\n");
        UsageException inverted = assertThrows(UsageException.class,
                () -> run(List.of("--series", file.toString(), "--outbreaks", outbreaks.toString())));
        assertEquals("outbreaks.csv: outbreak 7 of series 1 ends (2023-03-01) before it starts (2023-03-10)",
                inverted.getMessage());
    }

    @Test
    void theOracleNeedsTheGeneratorsScenarios(@TempDir Path dir) throws Exception {
        Path series = dir.resolve("series.csv");
        Files.writeString(series, "series_id,date,count,outbreak_id,day_index,in_eval,baseline_mean\n"
                + "1,2023-01-01,0,1,1,1,0.5\n");
        Path outbreaks = Files.writeString(dir.resolve("outbreaks.csv"), OUTBREAKS);
        UsageException e = assertThrows(UsageException.class, () -> run(List.of("--series", series.toString(),
                "--outbreaks", outbreaks.toString(), "--oracle")));
        assertEquals("--oracle needs scenarios.csv next to the series file", e.getMessage());
    }

    /** The benchmark's directory holds the R package's alarms files under the names Lookout writes. */
    @Test
    void anOutputThatWouldOverwriteTheBenchmarksFilesIsOneLine(@TempDir Path dir) throws Exception {
        Path series = Files.writeString(dir.resolve("series.csv"), SERIES);
        Path outbreaks = Files.writeString(dir.resolve("outbreaks.csv"), OUTBREAKS);
        Path reference = Files.writeString(dir.resolve("alarms_earsC_C1.csv"), "the R package's alarms\n");
        Path file = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        Map<Path, String> refused = Map.of(
                dir, "--out " + dir + " holds the benchmark's input " + series
                        + " and its reference alarms files: choose another directory",
                dir.resolve("."), "--out " + dir.resolve(".") + " holds the benchmark's input " + series
                        + " and its reference alarms files: choose another directory",
                file, "--out " + file + " is not a directory",
                file.resolve("out"), "cannot create the --out directory " + file.resolve("out"));
        for (Map.Entry<Path, String> out : refused.entrySet()) {
            UsageException e = assertThrows(UsageException.class, () -> run(List.of("--series", series.toString(),
                    "--outbreaks", outbreaks.toString(), "--out", out.getKey().toString())));
            assertEquals(out.getValue(), e.getMessage());
        }
        assertEquals("the R package's alarms\n", Files.readString(reference));
        assertEquals("notes\n", Files.readString(file));
    }

    /**
     * A file of a header alone printed a table of NaN, exit 0; a cell that was not a number was one line naming
     * neither its line nor its column. Each bad file is now one line naming where, exit 2, with nothing printed.
     */
    @Test
    void badFilesAreOneLineNamingTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path series = dir.resolve("series.csv");
        Path outbreaks = dir.resolve("outbreaks.csv");
        List<String> args = List.of("--series", series.toString(), "--outbreaks", outbreaks.toString());
        Files.writeString(series, SERIES);
        Files.writeString(outbreaks, OUTBREAKS);
        assertEquals(0, Main.run(command(args), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(new ByteArrayOutputStream())), "the files every case below changes are good");

        String header = "series_id,date,count,outbreak_id,day_index,in_eval\n";
        Map<String, String> badSeries = new LinkedHashMap<>();
        badSeries.put(header, "series.csv has no rows after its header");
        badSeries.put(header + "1,2023-01-01,0,0,1,1\none,2023-01-02,5,1,2,1\n",
                "series.csv line 3, column series_id: expected a whole number");
        badSeries.put("series_id,date,count,outbreak_id,day_index\n1,2023-01-01,0,0,1\n",
                "series.csv has no column in_eval");
        badSeries.put(header + "1,2023-02-30,0,0,1,1\n1,2023-01-02,5,1,2,1\n",
                "series.csv line 2, column date: expected a date as YYYY-MM-DD");
        badSeries.put(header + "1,2023-01-01,0,0,1,1\n1,2023-01-02,-3,1,2,1\n",
                "series.csv line 3, column count: -3 events; a count is 0 or more");
        badSeries.put(header + "1,2023-01-01,0,0,1,1\n1,2023-01-02,2.5,1,2,1\n",
                "series.csv line 3, column count: expected a whole number");
        badSeries.put(header + "1,2023-01-01,0,0,1,1\n\n1,2023-01-02,5,1,2,yes\n",
                "series.csv line 4, column in_eval: expected a whole number");
        badSeries.put(header + "1,2023-01-01,0,0,1,2\n1,2023-01-02,5,1,2,1\n",
                "series.csv line 2, column in_eval: expected 0 or 1");
        badSeries.put(header + "1,2023-01-01,0,0,1,1\n1,2023-01-02,5,1,1,1\n",
                "series.csv line 3, column day_index: series 1 has 2 rows, so its day_index runs 1..2, each once");
        badSeries.put(header + "1,2023-01-01,0,0,1,1\n1,2023-01-02,5,1,2,1\n", "series.csv: series 1 is judged from"
                + " day_index 1 (its first in_eval 1), but every detector judges a day from 35 days before it");
        for (Map.Entry<String, String> c : badSeries.entrySet()) {
            Files.writeString(series, c.getKey());
            assertEquals("2 lookout eval-detection: " + c.getValue(), refusal(args), c.getKey());
        }

        Files.writeString(series, SERIES);
        String columns = "series_id,outbreak_id,start_date,end_date,k\n";
        Map<String, String> badOutbreaks = new LinkedHashMap<>();
        badOutbreaks.put(columns, "outbreaks.csv has no rows after its header");
        badOutbreaks.put("", "outbreaks.csv is empty");
        badOutbreaks.put("\n\n", "outbreaks.csv is empty");
        badOutbreaks.put(columns + "1,1,soon,2023-01-02,3\n",
                "outbreaks.csv line 2, column start_date: expected a date as YYYY-MM-DD");
        badOutbreaks.put(columns + "1,0,2023-01-02,2023-01-02,3\n",
                "outbreaks.csv line 2, column outbreak_id: expected 1 or more");
        badOutbreaks.put(columns + "1,7,2023-01-02,2023-01-02,3\n2,1,2023-01-02,2023-01-02,3\n",
                "no outbreak of outbreaks.csv has a day with in_eval 1 in series.csv (its series_id and outbreak_id"
                        + " on that day): no detection to score");
        for (Map.Entry<String, String> c : badOutbreaks.entrySet()) {
            Files.writeString(outbreaks, c.getKey());
            assertEquals("2 lookout eval-detection: " + c.getValue(), refusal(args), c.getKey());
        }

        Files.writeString(outbreaks, OUTBREAKS);
        Files.writeString(dir.resolve("summary.csv"), "method,POD,FPR,median_delay_days\nearsC_C1,NA,0.03,0\n");
        assertEquals("2 lookout eval-detection: summary.csv line 2, column POD: expected a number", refusal(args));
    }

    /** The exit code and what the command printed on stderr, checking it printed nothing on stdout. */
    private static String refusal(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(command(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        return code + " " + err.toString(StandardCharsets.UTF_8).strip();
    }

    private static String[] command(List<String> args) {
        return Stream.concat(Stream.of("eval-detection"), args.stream()).toArray(String[]::new);
    }

    private static String run(List<String> args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            assertEquals(0, new EvalDetectionCommand().run(args, ps));
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
