package lookout.cluster.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The full disk the fault tests fill, checked on its own: it stays full when another writer frees space. */
class SmallDiskTest {
    @TempDir
    Path dir;

    @Test
    void spaceAnotherWriterFreesAfterTheFillIsTakenAgainAndEmptyingGivesItAllBack() throws Exception {
        assumeTrue(SmallDisk.rootCanMount(), "mounting a small filesystem needs root; this test runs where the tests"
                + " run as root (CI)");
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small"), 4)) {
            Path checkpoint = disk.dir().resolve("old-checkpoint");
            Files.write(checkpoint, new byte[1024 * 1024]);
            disk.fill();
            assertThrows(IOException.class, () -> Files.write(disk.dir().resolve("a"), new byte[1]));

            // Flink deleting a subsumed checkpoint, as it did mid-fill in a CI run.
            Files.delete(checkpoint);
            Thread.sleep(1_000);
            IOException full = assertThrows(IOException.class,
                    () -> Files.write(disk.dir().resolve("b"), new byte[4096]));
            assertEquals("No space left on device", full.getMessage());

            disk.empty();
            Files.write(disk.dir().resolve("c"), new byte[3 * 1024 * 1024]);
        }
    }
}
