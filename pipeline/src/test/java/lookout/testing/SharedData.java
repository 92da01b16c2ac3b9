package lookout.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's reference data lives beside the checkout in {@code ../shared}, never in the repo.
 * A user's clone has none, so tests that need it skip with a message saying so.
 */
public final class SharedData {
    private SharedData() {}

    public static Path file(String relative) {
        Path dir = Path.of(System.getProperty("lookout.shared.dir", "../shared"));
        Path file = dir.resolve(relative).normalize();
        assumeTrue(Files.isRegularFile(file),
                "skipped: " + file + " is absent (../shared is not part of a clone; it sits beside the project checkout)");
        return file;
    }

    public static Path torontoBoundaries() {
        return file("data/toronto-neighbourhoods-158.geojson");
    }
}
