package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoppedBackfillTest {
    @TempDir
    Path dir;

    /** The test's JVM has had no stop signal, so the line begins with a bare "stopped". */
    @Test
    void theLineSaysWhetherTheDatabaseIsAsItWasReplacedOrNeverWritten() throws Exception {
        Path db = Files.writeString(dir.resolve("x.duckdb"), "a Lookout database");
        Optional<StoppedBackfill.Identity> before = StoppedBackfill.Identity.of(db);
        assertEquals("stopped before its end; " + db + " is as it was",
                StoppedBackfill.line(db, before, StoppedBackfill.Identity.of(db)));

        Path rebuilt = Files.writeString(dir.resolve("x.duckdb.publishing"), "a Lookout database");
        Files.move(rebuilt, db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        assertEquals("stopped before its end; the rebuilt database had already been published to " + db,
                StoppedBackfill.line(db, before, StoppedBackfill.Identity.of(db)));

        Path absent = dir.resolve("new.duckdb");
        assertEquals("stopped before its end; no database was written to " + absent,
                StoppedBackfill.line(absent, Optional.empty(), StoppedBackfill.Identity.of(absent)));
        // --force deleted a file that was not a Lookout database, and the job had not published yet.
        Path foreign = Files.writeString(dir.resolve("notes.txt"), "not a database");
        Optional<StoppedBackfill.Identity> notes = StoppedBackfill.Identity.of(foreign);
        Files.delete(foreign);
        assertEquals("stopped before its end; no database was written to " + foreign,
                StoppedBackfill.line(foreign, notes, StoppedBackfill.Identity.of(foreign)));
    }
}
