package lookout.cli;

import static lookout.cli.MainTest.assertOneLineError;
import static lookout.cli.MainTest.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.cli.MainTest.Result;
import lookout.testing.Db;
import lookout.testing.DuckDbHolder;

/** Commands replace only what Lookout made, and a user's mistake is one line before Flink starts. */
@Timeout(300)
class CommandSafetyTest {
    static final String EVENT = "{\"event_id\":\"a\",\"source\":\"paramedic\",\"occurred_at\":\"2026-03-04T10:00:00-05:00\","
            + "\"reported_at\":\"2026-03-04T11:00:00-05:00\",\"area_code\":\"D07\",\"outcome\":\"transported\"}\n";

    @TempDir
    Path dir;

    Path input() throws Exception {
        return Files.writeString(dir.resolve("in.ndjson"), EVENT);
    }

    Result backfill(Path input, Path db, String... more) {
        return run(Stream.concat(Stream.of("backfill", "--input", input.toString(), "--db", db.toString()),
                Stream.of(more)).toArray(String[]::new));
    }

    @Test
    void backfillRefusesToReplaceATextFile() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
        assertOneLineError(backfill(input(), notes), "lookout backfill: refusing to replace " + notes.toAbsolutePath()
                + ": it is not a Lookout database (--force replaces it)");
        assertEquals("my notes\n", Files.readString(notes));
    }

    @Test
    void backfillRefusesADuckDbFileOfAnotherApplicationAndAForeignWriterFile() throws Exception {
        Path other = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE invoices (id INTEGER)");
            s.execute("INSERT INTO invoices VALUES (42)");
        }
        assertOneLineError(backfill(input(), other), "lookout backfill: refusing to replace " + other.toAbsolutePath()
                + ": it is not a Lookout database (--force replaces it)");
        assertEquals(42, Db.count(other, "SELECT id FROM invoices"));

        Path db = dir.resolve("fresh.duckdb");
        Path writer = Files.writeString(dir.resolve("fresh.duckdb.writer"), "someone else's\n");
        assertOneLineError(backfill(input(), db), "lookout backfill: refusing to replace " + writer.toAbsolutePath()
                + ": it is not a Lookout database (--force replaces it)");
        assertEquals("someone else's\n", Files.readString(writer));
    }

    @Test
    void backfillNeverReplacesItsInputOrADirectoryEvenWithForce() throws Exception {
        Path input = input();
        assertOneLineError(backfill(input, input, "--force"),
                "lookout backfill: --db " + input + " would overwrite the input " + input);
        assertEquals(EVENT, Files.readString(input));

        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Files.writeString(inputs.resolve("a.ndjson"), EVENT);
        Path inside = inputs.resolve("lookout.duckdb");
        assertOneLineError(backfill(inputs, inside, "--force"),
                "lookout backfill: --db " + inside + " would overwrite the input " + inputs);

        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertOneLineError(backfill(input, empty, "--force"), "lookout backfill: --db " + empty + " is a directory");
        assertTrue(Files.isDirectory(empty));

        Path config = Files.writeString(dir.resolve("lookout.properties"), "zone=America/Toronto\n");
        assertOneLineError(backfill(input, config, "--config", config.toString(), "--force"),
                "lookout backfill: --db " + config + " would overwrite the --config file " + config);
        assertEquals("zone=America/Toronto\n", Files.readString(config));
        String square = "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":"
                + "{\"area_id\":\"7\",\"name\":\"Square\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":"
                + "[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}}]}";
        Path boundaries = Files.writeString(dir.resolve("areas.geojson"), square);
        assertOneLineError(backfill(input, boundaries, "--boundaries", boundaries.toString(), "--force"),
                "lookout backfill: --db " + boundaries + " would overwrite the boundaries file " + boundaries);
        assertEquals(square, Files.readString(boundaries));
    }

    @Test
    void backfillNeverReplacesADatabaseAnotherProcessHasOpenEvenWithForce() throws Exception {
        Path db = dir.resolve("live.duckdb");
        Path writer = dir.resolve("live.duckdb.writer");
        try (DuckDbHolder running = DuckDbHolder.open(writer)) {
            assertOneLineError(backfill(input(), db, "--force"), "lookout backfill: " + writer.toAbsolutePath()
                    + " is open in another process (a running Lookout job?); stop it first");
        }
        assertTrue(Files.exists(writer));
    }

    @Test
    void forceReplacesAForeignFileAndALookoutDatabaseIsReplacedWithoutIt() throws Exception {
        Path db = Files.writeString(dir.resolve("old.txt"), "to be replaced\n");
        Result forced = backfill(input(), db, "--force");
        assertEquals(0, forced.code(), forced.err());
        assertEquals(1, Db.count(db, "SELECT sum(count) FROM area_counts WHERE granularity = 'day' AND signal = 'paramedic'"));
        Result again = backfill(input(), db);
        assertEquals(0, again.code(), again.err());
        assertEquals(1, Db.count(db, "SELECT sum(count) FROM area_counts WHERE granularity = 'day' AND signal = 'paramedic'"));
    }

    /** Two backfills of one database would meet only at its writer, where the second replaced the first's tables. */
    @Test
    void aSecondBackfillOfTheSameDatabaseIsOneLineAndLeavesItAsItWas() throws Exception {
        Path db = dir.resolve("x.duckdb");
        assertEquals(0, backfill(input(), db).code());
        byte[] before = Files.readAllBytes(db);
        try (FileChannel lock = FileChannel.open(dir.resolve("x.duckdb.lock"), StandardOpenOption.WRITE);
             FileLock held = lock.lock()) {
            assertOneLineError(backfill(input(), db, "--force"), "lookout backfill: --db " + db
                    + " is being rebuilt by another backfill; wait for it to end");
        }
        assertArrayEquals(before, Files.readAllBytes(db));
        assertEquals(0, backfill(input(), db).code(), "the lock is free once the other run ends");
    }

    @Test
    void aDatabaseDirectoryThatCannotBeWrittenIsOneLineBeforeFlinkStarts() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        Path db = file.resolve("lookout.duckdb");
        long start = System.nanoTime();
        assertOneLineError(backfill(input(), db), "lookout backfill: cannot write to " + file.toAbsolutePath()
                + " for --db (a parent is not a directory)");
        assertOneLineError(run("demo", "--db", db.toString()), "lookout demo: cannot write to " + file.toAbsolutePath()
                + " for --db (a parent is not a directory)");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused before any cluster started");
    }

    /**
     * An input whose file was moved away after it was linked into the input directory: no one can read it, root
     * included, so this runs in CI. It must not be passed over as if it were not an input.
     */
    @Test
    void anUnreadableInputIsOneLineBeforeFlinkStarts() throws Exception {
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Files.writeString(inputs.resolve("a.ndjson"), EVENT);
        Path moved = Files.createSymbolicLink(inputs.resolve("b.ndjson"), dir.resolve("moved-away.ndjson"));
        Path db = dir.resolve("x.duckdb");
        long start = System.nanoTime();
        assertOneLineError(backfill(inputs, db), "lookout backfill: cannot read --input " + moved + " (no such file or directory)");
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused before any cluster started");
        assertFalse(Files.exists(db));
    }

    /** Only the files directly in an input directory are read, so one inside it would lose its events unseen. */
    @Test
    void aDirectoryInsideTheInputDirectoryIsOneLineBeforeFlinkStarts() throws Exception {
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Files.writeString(inputs.resolve("a.ndjson"), EVENT);
        Files.writeString(Files.createDirectories(inputs.resolve("2025")).resolve("b.ndjson"), EVENT);
        Files.createDirectories(inputs.resolve(".cache"));
        Path db = dir.resolve("x.duckdb");
        assertOneLineError(backfill(inputs, db), "lookout backfill: --input " + inputs + " holds a directory, 2025,"
                + " whose files would not be read: backfill it on its own or move its files up");
        assertFalse(Files.exists(db));
    }

    @Test
    void anInputWithoutReadPermissionIsOneLineBeforeFlinkStarts() throws Exception {
        assumeFalse("root".equals(System.getProperty("user.name")), "skipped: root reads files whatever their mode");
        Path input = input();
        Files.setPosixFilePermissions(input, PosixFilePermissions.fromString("---------"));
        assertOneLineError(backfill(input, dir.resolve("x.duckdb")),
                "lookout backfill: cannot read --input " + input + " (permission denied)");
    }
}
