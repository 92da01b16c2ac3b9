package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Main;

/** User errors end with one readable line on stderr and a non-zero exit, never a stack trace. */
class MainTest {
    @TempDir
    Path dir;

    record Result(int code, String out, String err) {}

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static void assertOneLineError(Result r, String expected) {
        assertEquals(2, r.code());
        assertEquals(expected + System.lineSeparator(), r.err());
    }

    @Test
    void helpListsEveryCommandAndEachCommandHasItsOwn() {
        Result help = run("--help");
        assertEquals(0, help.code());
        for (String c : new String[] {"demo", "run", "backfill", "replay", "serve", "users", "notify"}) {
            assertTrue(help.out().contains("  " + c + " "), help.out());
            Result own = run(c, "--help");
            assertEquals(0, own.code());
            assertTrue(own.out().startsWith("Usage: ./lookout " + c), own.out());
        }
    }

    @Test
    void badArgumentsAndMissingFiles() throws Exception {
        assertOneLineError(run("frobnicate"), "lookout: unknown command 'frobnicate' (see ./lookout --help)");
        assertOneLineError(run("backfill", "--inptu", "x"), "lookout backfill: unknown option --inptu (see ./lookout backfill --help)");
        assertOneLineError(run("backfill", "--input", dir.resolve("none.ndjson").toString(), "--db", "x.duckdb"),
                "lookout backfill: --input " + dir.resolve("none.ndjson") + " does not exist");
        Path input = Files.writeString(dir.resolve("in.ndjson"), "{}\n");
        assertOneLineError(run("backfill", "--input", input.toString()),
                "lookout backfill: --db is required (see ./lookout backfill --help)");
        Path badGeo = Files.writeString(dir.resolve("bad.geojson"), "{\"type\":\"Feature\"}");
        assertOneLineError(run("backfill", "--input", input.toString(), "--db", dir.resolve("x.duckdb").toString(),
                "--boundaries", badGeo.toString()), "lookout backfill: boundary file " + badGeo + ": not a GeoJSON FeatureCollection");
        Path bowtie = Files.writeString(dir.resolve("bowtie.geojson"), "{\"type\":\"FeatureCollection\",\"features\":["
                + "{\"type\":\"Feature\",\"properties\":{\"area_id\":\"7\",\"name\":\"Bowtie\"},\"geometry\":"
                + "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}}]}");
        assertOneLineError(run("backfill", "--input", input.toString(), "--db", dir.resolve("x.duckdb").toString(),
                "--boundaries", bowtie.toString()), "lookout backfill: boundary file " + bowtie
                + ", feature 0 (area 7, Bowtie): not a valid polygon: Self-intersection at or near [0.5, 0.5] (lon, lat)");
        // Two ids with the same 64-bit detection key (see DetectionKeysTest): their detectors would share state.
        Path twins = Files.writeString(dir.resolve("twins.geojson"), "{\"type\":\"FeatureCollection\",\"features\":["
                + square("a1xe6g2hakaue", 0) + "," + square("abvbns2aq6raz", 1) + "]}");
        assertOneLineError(run("backfill", "--input", input.toString(), "--db", dir.resolve("x.duckdb").toString(),
                "--boundaries", twins.toString()), "lookout backfill: boundary file " + twins
                + ": areas \"a1xe6g2hakaue\" and \"abvbns2aq6raz\" have the same detection key: rename one of them");
        // One area listed twice under two ids: every event in it would be counted in the first.
        Path twice = Files.writeString(dir.resolve("twice.geojson"), "{\"type\":\"FeatureCollection\",\"features\":["
                + square("Harbour", 0) + "," + square("Harbour-copy", 0) + "]}");
        assertOneLineError(run("backfill", "--input", input.toString(), "--db", dir.resolve("x.duckdb").toString(),
                "--boundaries", twice.toString()), "lookout backfill: boundary file " + twice + ", feature 1 (area"
                + " Harbour-copy): overlaps feature 0 (area Harbour) by 100% of the smaller one's area, more than the"
                + " 1% allowed: events there would all be counted in area Harbour");
        assertOneLineError(run("backfill", "--input", input.toString(), "--db", dir.resolve("x.duckdb").toString(),
                "--zone", "Mars/Base"), "lookout backfill: config: zone = 'Mars/Base' is not a known time zone");
    }

    /** A one-degree square area at longitude {@code x}. */
    private static String square(String id, int x) {
        return "{\"type\":\"Feature\",\"properties\":{\"area_id\":\"" + id + "\",\"name\":\"" + id + "\"},\"geometry\":"
                + "{\"type\":\"Polygon\",\"coordinates\":[[[" + x + ",0],[" + (x + 1) + ",0],[" + (x + 1) + ",1],[" + x
                + ",1],[" + x + ",0]]]}}";
    }

    /** A zero or negative duration made the demo run with no limit. */
    @Test
    void demoRefusesADurationBelowOneSecond() {
        assertOneLineError(run("demo", "--seconds", "-1"), "lookout demo: --seconds must be a whole number of seconds,"
                + " at least 1");
        assertOneLineError(run("demo", "--seconds", "0"), "lookout demo: --seconds must be a whole number of seconds,"
                + " at least 1");
        assertOneLineError(run("demo", "--live-seconds", "-5"), "lookout demo: --live-seconds must be a whole number"
                + " of seconds, at least 1");
    }

    @Test
    void unreachableKafkaIsOneLine() throws Exception {
        Path input = Files.writeString(dir.resolve("in.ndjson"), "{}\n");
        assertOneLineError(run("replay", "--input", input.toString(), "--bootstrap", "127.0.0.1:1"),
                "lookout replay: cannot reach Kafka at 127.0.0.1:1 within 10 s");
    }

    @Test
    void runRefusesToStartWithoutAPseudonymKey() throws Exception {
        assumeTrue(System.getenv("LOOKOUT_PSEUDONYM_KEY") == null && System.getenv("LOOKOUT_PSEUDONYM_KEY_FILE") == null,
                "a pseudonym key is set in this environment");
        Path config = Files.writeString(dir.resolve("lookout.properties"), "kafka.bootstrap=127.0.0.1:1\n");
        Result r = run("run", "--config", config.toString());
        assertOneLineError(r, "lookout run: no pseudonym key: set LOOKOUT_PSEUDONYM_KEY (base64, at least 32 bytes)"
                + " or LOOKOUT_PSEUDONYM_KEY_FILE (see docs/PRIVACY.md)");
    }
}
