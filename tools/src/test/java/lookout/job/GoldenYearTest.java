package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceAccessMode;
import org.junit.jupiter.api.parallel.ResourceLock;

import lookout.cluster.SharedCluster;
import lookout.geo.AreaIndex;
import lookout.kernel.Main;
import lookout.testing.SharedData;

/**
 * The counts of a backfill are those of the graph before the throughput rework (commit 459df3c: per-event Avro
 * records, tree JSON parsing, string dedupe keys, no combiner, upserts per batch, the GLR fitted over every day):
 * a generated year ({@link GoldenYear}: Toronto's 158 areas, all four sources, duplicates, broken and edge-case
 * records, linked and tied reports, drug-checking findings, a spike that alerts) is backfilled by the current graph,
 * and every published table's digest ({@link TableDigests}) must equal what the old graph gave on the same files,
 * stored in {@value #DIGESTS}.
 *
 * <p>The stored digests were produced once from the old code, by this test in its writing mode, which writes the
 * same input, runs {@code ./lookout backfill} of a checkout of 459df3c on it, and writes the digests of that run's
 * published file (then goes on to check the current graph against them as usual):
 * <pre>
 * git worktree add --detach /tmp/lookout-459df3c 459df3c
 * mvn -B verify -pl tools -am -Dtest=GoldenYearTest -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dlookout.golden.old=/tmp/lookout-459df3c
 * </pre>
 * which rewrites {@code tools/src/test/resources/}{@value #DIGESTS} (the old checkout's launcher builds it first).
 * Regenerate them only when the input ({@link GoldenYear}, the demo generator) changes on purpose, and always from
 * 459df3c: digests written from the current code would prove nothing. A table that a later change alters on purpose
 * (the detection changes of issue 13 altered {@code spikes}) has its lines replaced by hand, and the file's header
 * says which and why; the rest stay the old graph's. Floating-point sums are compared within
 * {@link TableDigests#RELATIVE_TOLERANCE}; every count, key, date and text exactly. The input files' SHA-256 are
 * stored too, so that an input that came out differently (a changed generator, or a platform whose floating point
 * draws other values) is reported as that rather than as differing tables.
 */
// Long enough for the writing mode, which also builds and runs the old checkout.
@Timeout(value = 900, unit = TimeUnit.SECONDS)
@Execution(ExecutionMode.CONCURRENT)
@Order(7)
@ResourceLock(value = SharedCluster.THIS_JVM_THREADS, mode = ResourceAccessMode.READ)
@ResourceLock(value = SharedCluster.FLINK_CONTEXT, mode = ResourceAccessMode.READ)
class GoldenYearTest {
    static final String DIGESTS = "lookout/job/golden-year.digests";
    private static final String OLD_CHECKOUT = "lookout.golden.old";

    @TempDir
    Path dir;

    @Test
    void aBackfillOfTheGeneratedYearGivesThePreReworkGraphsTables() throws Exception {
        Path boundaries = SharedData.torontoBoundaries();
        Path input = GoldenYear.write(dir.resolve("input"), AreaIndex.fromGeoJson(boundaries));
        TableDigests expected = System.getProperty(OLD_CHECKOUT) == null ? stored()
                : writeFromOldCheckout(Path.of(System.getProperty(OLD_CHECKOUT)), input, boundaries);

        Path db = dir.resolve("new.duckdb");
        String summary = backfill(input, boundaries, db);
        TableDigests actual = TableDigests.of(db, input, summary);

        List<String> otherInput = actual.inputDifferencesFrom(expected);
        assertTrue(otherInput.isEmpty(), "the generated input is not the one the stored digests were made from (the"
                + " generator or GoldenYear changed, or this platform's floating point draws other values): regenerate"
                + " them from 459df3c as this class's javadoc says\n  " + String.join("\n  ", otherInput));
        List<String> differences = actual.differencesFrom(expected);
        assertTrue(differences.isEmpty(), "the backfill's tables differ from the pre-rework graph's on the same"
                + " input:\n  " + String.join("\n  ", differences));
    }

    private static String backfill(Path input, Path boundaries, Path db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"backfill", "--input", input.toString(), "--boundaries",
                boundaries.toString(), "--db", db.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, "backfill failed: " + err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static TableDigests stored() throws IOException {
        try (InputStream in = GoldenYearTest.class.getClassLoader().getResourceAsStream(DIGESTS)) {
            assertTrue(in != null, DIGESTS + " is missing from the test resources");
            return TableDigests.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList());
        }
    }

    /**
     * Writing mode: backfills {@code input} with the launcher of the checkout at {@code old} (which must be
     * 459df3c), writes the digests of its published file to the module's test resources and returns them.
     */
    private TableDigests writeFromOldCheckout(Path old, Path input, Path boundaries) throws Exception {
        Path db = dir.resolve("old.duckdb");
        Path stdout = dir.resolve("old.out");
        Path stderr = dir.resolve("old.err");
        Process p = new ProcessBuilder(old.resolve("lookout").toString(), "backfill", "--input", input.toString(),
                "--boundaries", boundaries.toString(), "--db", db.toString())
                .directory(old.toFile()).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        assertEquals(0, p.waitFor(), "the old checkout's backfill failed: " + Files.readString(stderr));
        String revision = new String(new ProcessBuilder("git", "-C", old.toString(), "rev-parse", "HEAD")
                .start().getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        TableDigests digests = TableDigests.of(db, input, Files.readString(stdout));
        List<String> lines = new ArrayList<>();
        lines.add("# Digests of the published tables of a backfill of GoldenYear's input by the graph at " + revision
                + ",");
        lines.add("# written by GoldenYearTest with -D" + OLD_CHECKOUT + " (see its javadoc). "
                + "'=' is compared exactly, '~' within a relative " + TableDigests.RELATIVE_TOLERANCE + ".");
        lines.addAll(digests.lines());
        Files.write(Path.of("src/test/resources").resolve(DIGESTS), lines, StandardCharsets.UTF_8);
        return digests;
    }
}
