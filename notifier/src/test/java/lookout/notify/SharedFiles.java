package lookout.notify;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's reference data beside the checkout in {@code ../shared} (as {@code lookout.testing.SharedData},
 * which lives in the pipeline's tests): absent in a plain clone, so tests that need it skip saying so.
 */
final class SharedFiles {
    private SharedFiles() {}

    static Path file(String relative) {
        Path dir = Path.of(System.getProperty("lookout.shared.dir", "../shared"));
        Path file = dir.resolve(relative).normalize();
        assumeTrue(Files.isRegularFile(file),
                "skipped: " + file + " is absent (../shared is not part of a clone; it sits beside the project checkout)");
        return file;
    }
}
