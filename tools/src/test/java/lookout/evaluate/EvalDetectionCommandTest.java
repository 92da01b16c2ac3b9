package lookout.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.detect.DailyDetector;
import lookout.detect.DetectorCatalog;
import lookout.detect.EarsC;
import lookout.kernel.UsageException;
import lookout.testing.SharedData;

class EvalDetectionCommandTest {

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

    /** A negative count, an outbreak that ends before it starts and a short row were taken, or a stack trace. */
    @Test
    void impossibleRowsAreOneLineNamingWhereTheyAre(@TempDir Path dir) throws Exception {
        String header = "series_id,date,count,outbreak_id,day_index,in_eval\n";
        Path outbreaks = Files.writeString(dir.resolve("outbreaks.csv"),
                "series_id,outbreak_id,start_date,end_date,k\n");
        Map<String, String> series = Map.of(
                header + "1,2023-01-01,0,0,1,1\n1,2023-01-02,-3,0,2,1\n",
                "series.csv: series 1 counts -3 on 2023-01-02; a count is 0 or more",
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
                + "1,2023-01-01,0,0,1,1,0.5\n");
        Path outbreaks = dir.resolve("outbreaks.csv");
        Files.writeString(outbreaks, "series_id,outbreak_id,start_date,end_date,k\n");
        UsageException e = assertThrows(UsageException.class, () -> run(List.of("--series", series.toString(),
                "--outbreaks", outbreaks.toString(), "--oracle")));
        assertEquals("--oracle needs scenarios.csv next to the series file", e.getMessage());
    }

    /** The benchmark's directory holds the R package's alarms files under the names Lookout writes. */
    @Test
    void anOutputThatWouldOverwriteTheBenchmarksFilesIsOneLine(@TempDir Path dir) throws Exception {
        Path series = Files.writeString(dir.resolve("series.csv"),
                "series_id,date,count,outbreak_id,day_index,in_eval\n1,2023-01-01,0,0,1,1\n");
        Path outbreaks = Files.writeString(dir.resolve("outbreaks.csv"),
                "series_id,outbreak_id,start_date,end_date,k\n");
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

    private static String run(List<String> args) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            assertEquals(0, new EvalDetectionCommand().run(args, ps));
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
