package lookout.job;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run killed outright leaves its Flink directory behind; the next run removes it, and only it. */
class FlinkTempDirTest {
    @TempDir
    Path tmp;

    @Test
    void theDirectoryOfAProcessThatNoLongerExistsIsDeletedAndNothingElse() throws Exception {
        Process ended = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
                .redirectErrorStream(true).start();
        ended.getInputStream().readAllBytes();
        ended.waitFor();
        Path dead = Files.createDirectory(tmp.resolve("lookout-flink-" + ended.pid() + "-123"));
        Files.write(dead.resolve("flink-rpc-akka1.jar"), new byte[] {1, 2, 3});
        Path alive = Files.createDirectory(tmp.resolve("lookout-flink-" + ProcessHandle.current().pid() + "-456"));
        Path other = Files.createDirectory(tmp.resolve("lookout-flink-notes"));
        Path unrelated = Files.createDirectory(tmp.resolve("someone-elses"));

        FlinkTempDir.deleteLeftovers(tmp);

        assertFalse(Files.exists(dead), "the ended process's directory is deleted with its RPC jar");
        assertTrue(Files.exists(alive), "a running process keeps its directory");
        assertTrue(Files.exists(other), "a directory not named by a process id is not Lookout's to delete");
        assertTrue(Files.exists(unrelated));
    }
}
