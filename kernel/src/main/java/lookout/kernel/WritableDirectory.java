package lookout.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The check that a command's output directory can be written, made before the command does anything that a
 * failed write would leave half done; each command words the refusal for its own option.
 */
public final class WritableDirectory {
    private WritableDirectory() {}

    /** Creates {@code dir} when absent and a file in it, removed again. */
    public static void probe(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.delete(Files.createTempFile(dir, ".lookout-write-check", null));
    }
}
