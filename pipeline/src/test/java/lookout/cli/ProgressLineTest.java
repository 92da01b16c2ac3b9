package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import lookout.ingest.ReadProgress;
import lookout.job.StepProgress;

class ProgressLineTest {
    private static final long S = 1_000_000_000L;
    private static final long MIB = 1 << 20;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    /** A backfill's steps as the line looks at them: none known unless a test says otherwise. */
    private StepProgress.Snapshot steps = new StepProgress.Snapshot(0, 0, List.of());

    /** A backfill's progress line. @param columns the terminal's width, or 0 for a pipe or a log file */
    private ProgressLine progress(ReadProgress read, long totalBytes, int columns) {
        return new ProgressLine("backfill", read, totalBytes, () -> BackfillCommand.stage(steps), err, columns, 0);
    }

    private String shown() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void elsewhereALineEveryFiveSecondsAndOneWhenReadingEnds() {
        try (ReadProgress read = ReadProgress.start()) {
            ProgressLine p = progress(read, 100 * MIB, 0);
            p.tick(S / 2);
            p.tick(S);
            assertEquals("", shown(), "nothing before five seconds");
            read.add(25 * MIB, 80_000);
            p.tick(5 * S);
            p.tick(6 * S);
            read.add(25 * MIB, 80_000);
            p.tick(10 * S);
            read.add(50 * MIB, 160_000);
            p.tick(13 * S);
            p.tick(15 * S);
            p.tick(18 * S + S / 2);
            p.end();
            assertEquals("""
                    lookout backfill: read 25% of 100.0 MiB, about 12 s left to read; 80,000 records, 20,000 records/s
                    lookout backfill: read 50% of 100.0 MiB, about 9 s left to read; 160,000 records, 17,778 records/s
                    lookout backfill: read all 100.0 MiB (320,000 records) in 12 s; now counting, detecting and writing the database, 0 s so far
                    lookout backfill: read all 100.0 MiB (320,000 records) in 12 s; now counting, detecting and writing the database, 6 s so far
                    """, shown(), "reading is timed from the last look that found nothing read");
        }
    }

    @Test
    void onceReadingEndsTheLineSaysWhichStepOfTheJobIsRunning() {
        try (ReadProgress read = ReadProgress.start()) {
            ProgressLine p = progress(read, 10 * MIB, 0);
            read.add(10 * MIB, 30_000);
            steps = new StepProgress.Snapshot(1, 13, List.of("Source: NDJSON files"));
            p.tick(2 * S);
            steps = new StepProgress.Snapshot(6, 13, List.of("substance-novelty", "detect-area-signal"));
            p.tick(7 * S);
            steps = new StepProgress.Snapshot(13, 13, List.of());
            p.tick(12 * S);
            List<String> lines = new ArrayList<>(List.of(shown().split("\n")));
            String done = "lookout backfill: read all 10.0 MiB (30,000 records) in 2 s; now ";
            assertEquals(List.of(done + "step 1 of 13, 0 s so far (Source: NDJSON files)",
                    done + "step 6 of 13, 5 s so far (substance-novelty, detect-area-signal)",
                    done + "step 13 of 13, 10 s so far"), lines);
        }
    }

    @Test
    void onATerminalTheLineIsCutToItsWidthSoThatItNeverWraps() {
        try (ReadProgress read = ReadProgress.start()) {
            ProgressLine p = progress(read, 10 * MIB, 60);
            read.add(10 * MIB, 30_000);
            steps = new StepProgress.Snapshot(6, 13, List.of("substance-novelty", "detect-area-signal"));
            p.tick(2 * S);
            p.end();
            String cut = "lookout backfill: read all 10.0 MiB (30,000 records) in 2 …";
            assertEquals(59, cut.length(), "one column stays free: some terminals wrap at the last one");
            assertEquals("\r" + cut + "\n", shown());
        }
    }

    @Test
    void onATerminalOneLineIsRewrittenInPlaceAndEndedBeforeWhatFollows() {
        try (ReadProgress read = ReadProgress.start()) {
            ProgressLine p = progress(read, 10 * MIB, 200);
            p.tick(S);
            read.add(MIB, 3_000);
            p.tick(2 * S);
            read.add(5 * MIB, 15_000);
            p.tick(3 * S + S / 2);
            p.end();
            String first = "lookout backfill: read 0% of 10.0 MiB, starting";
            String second = "lookout backfill: read 10% of 10.0 MiB, about 9 s left to read; 3,000 records,"
                    + " 3,000 records/s";
            String third = "lookout backfill: read 60% of 10.0 MiB, about 2 s left to read; 18,000 records,"
                    + " 7,200 records/s";
            assertEquals("\r" + first + "\r" + second + "\r" + third + "\n", shown());
        }
    }

    @Test
    void aShorterLineBlanksWhatIsLeftOfTheLongerOneBeforeIt() {
        try (ReadProgress read = ReadProgress.start()) {
            ProgressLine p = progress(read, 10 * MIB, 200);
            read.add(MIB, 3_000);
            p.tick(10 * S);
            read.add(8 * MIB, 24_000);
            p.tick(12 * S);
            p.end();
            String longer = "lookout backfill: read 10% of 10.0 MiB, about 1 min 30 s left to read; 3,000 records,"
                    + " 300 records/s";
            String shorter = "lookout backfill: read 90% of 10.0 MiB, about 1 s left to read; 27,000 records,"
                    + " 2,250 records/s";
            assertTrue(longer.length() > shorter.length());
            assertEquals("\r" + longer + "\r" + shorter + " ".repeat(longer.length() - shorter.length()) + "\n",
                    shown());
        }
    }

    /** A stopped backfill's hook says its line while the command's thread may still be ticking. */
    @Test
    void theLastLineStartsALineOfItsOwnAndNoProgressFollowsIt() {
        try (ReadProgress read = ReadProgress.start()) {
            ProgressLine p = progress(read, 10 * MIB, 200);
            read.add(MIB, 3_000);
            p.tick(S);
            p.finish("stopped on SIGTERM before its end");
            read.add(MIB, 3_000);
            p.tick(10 * S);
            p.end();
            assertEquals("\rlookout backfill: read 10% of 10.0 MiB, about 9 s left to read; 3,000 records, 3,000"
                    + " records/s\nlookout backfill: stopped on SIGTERM before its end\n", shown());
        }
    }

    @Test
    void durationsAreAsPreciseAsSomeoneWaitingNeeds() {
        assertEquals("0 s", ProgressLine.duration(0));
        assertEquals("59 s", ProgressLine.duration(59 * S));
        assertEquals("1 min 05 s", ProgressLine.duration(65 * S));
        assertEquals("2 h 07 min", ProgressLine.duration((2 * 3600 + 7 * 60 + 30) * S));
    }
}
