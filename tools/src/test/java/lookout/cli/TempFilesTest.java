package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.testing.CliProcess;

/** A command leaves nothing in the temp directory: Flink's 21 MB RPC jar and cluster files go when it exits. */
@Timeout(300)
class TempFilesTest {
    @TempDir
    Path dir;

    @Test
    void aBackfillLeavesNothingInTheTempDirectory() throws Exception {
        Path input = Files.writeString(dir.resolve("in.ndjson"), CommandSafetyTest.EVENT);
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        CliProcess backfill = CliProcess.start(dir, dir.resolve("logs"), tmp, Map.of(),
                "backfill", "--input", input.toString(), "--db", dir.resolve("x.duckdb").toString());
        assertEquals(0, backfill.waitFor(240), backfill.stderr());
        assertEquals(List.of(), contents(tmp));
    }

    /** Everything under {@code dir}, relative to it. */
    static List<String> contents(Path dir) throws Exception {
        try (Stream<Path> all = Files.walk(dir)) {
            return all.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}
