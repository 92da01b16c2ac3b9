package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.demo.DemoStreamGenerator;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.testing.CliProcess;

/**
 * What a backfill prints when its stderr is not a terminal: progress lines of its own, and nothing from the
 * framework (no warnings of a normal run, no start-up chatter).
 */
@Timeout(300)
class BackfillOutputTest {
    @TempDir
    Path dir;

    @Test
    void intoAPipeABackfillPrintsOnlyItsProgressLinesOnStderr() throws Exception {
        AreaIndex city = AreaIndex.demoCity();
        DemoStreamGenerator generator = new DemoStreamGenerator(DemoStreamGenerator.Settings
                .builder(city.areas().stream().map(Area::id).toList(), city)
                .seed(5).days(42).badFraction(0.02).duplicateFraction(0.03).build());
        Path input = Files.write(dir.resolve("events.ndjson"), generator.generate());
        CliProcess backfill = CliProcess.start(dir, dir.resolve("logs"), Files.createDirectories(dir.resolve("tmp")),
                Map.of(),
                "backfill", "--input", input.toString(), "--db", dir.resolve("out.duckdb").toString());
        assertEquals(0, backfill.waitFor(240), backfill.stderr());
        List<String> lines = backfill.stderr().lines().toList();
        assertFalse(lines.isEmpty(), "a backfill takes longer than one progress interval, start-up included");
        for (String line : lines) {
            assertTrue(line.matches("lookout backfill: read (all |\\d{1,3}% of )\\d+\\.\\d MiB.*"), "not a progress line: " + line);
        }
        assertFalse(backfill.stderr().contains("\r"), "nothing is rewritten in place outside a terminal");
        assertTrue(backfill.stdout().startsWith("backfill: 1 input file(s) -> "), backfill.stdout());
    }
}
