package lookout.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.flink.util.FileUtils;

/**
 * One directory for everything a local Flink cluster leaves in the temp directory (the 21 MB RPC system jar it
 * extracts, the cluster's working files, the web upload directory), deleted when the process exits: Flink itself
 * removes none of them.
 */
final class FlinkTempDir {
    private static Path dir;

    private FlinkTempDir() {}

    static synchronized Path get() {
        if (dir == null) {
            try {
                dir = Files.createTempDirectory("lookout-flink-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for Flink", e);
            }
            Path created = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(created.toFile()),
                    "delete " + created));
        }
        return dir;
    }
}
