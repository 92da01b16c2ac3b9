package lookout.job;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.flink.util.FileUtils;

/**
 * One directory for everything a local Flink cluster leaves in the temp directory (the 21 MB RPC system jar it
 * extracts, the cluster's working files, the web upload directory), deleted when the process exits: Flink itself
 * removes none of them. A process killed outright (SIGKILL, a power cut) runs no exit hook, so its directory
 * carries its process id and the next run deletes the directories of processes that no longer exist.
 */
final class FlinkTempDir {
    private static final String PREFIX = "lookout-flink-";
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d+)-.*");
    private static Path dir;

    private FlinkTempDir() {}

    static synchronized Path get() {
        if (dir == null) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            deleteLeftovers(tmp);
            try {
                dir = Files.createTempDirectory(tmp, PREFIX + ProcessHandle.current().pid() + "-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a temporary directory for Flink", e);
            }
            Path created = dir;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteDirectoryQuietly(created.toFile()),
                    "delete " + created));
        }
        return dir;
    }

    /** Deletes the Flink directories in {@code tmp} of Lookout processes that have ended without removing them. */
    static void deleteLeftovers(Path tmp) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path d : dirs) {
                Matcher m = NAME.matcher(d.getFileName().toString());
                if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    FileUtils.deleteDirectoryQuietly(d.toFile());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Cleaning up after others is a courtesy; this run's own directory does not depend on it.
        }
    }
}
