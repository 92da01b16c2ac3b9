package lookout.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.UsageException;

/** The demo's open-data directory: replaced by every demo, unless it holds releases the demo did not publish. */
class DemoOpenDataTest {
    @TempDir
    Path dir;

    private List<String> files(Path root) throws Exception {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void anEarlierDemosReleaseIsReplacedAndADeploymentsIsRefusedAndLeftAsItWas() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        Path openData = DemoOpenData.replace(db);
        assertEquals(dir.resolve("lookout.duckdb.open-data"), openData);
        assertEquals(List.of(DemoOpenData.MARK), files(openData), "a new directory, marked as the demo's");

        Files.writeString(Files.createDirectories(openData.resolve("2026-12-03")).resolve("manifest.json"), "{}");
        DemoOpenData.replace(db);
        assertEquals(List.of(DemoOpenData.MARK), files(openData), "the earlier demo's release is gone");

        Files.delete(openData.resolve(DemoOpenData.MARK));
        DemoOpenData.replace(db);
        assertEquals(List.of(DemoOpenData.MARK), files(openData), "an empty directory is taken");

        Files.delete(openData.resolve(DemoOpenData.MARK));
        Files.writeString(Files.createDirectories(openData.resolve("2026-11-30")).resolve("manifest.json"), "{}");
        UsageException refused = assertThrows(UsageException.class, () -> DemoOpenData.replace(db));
        assertEquals(openData + " holds open data the demo did not publish, which it would delete: move it, or give"
                + " the demo another --db", refused.getMessage());
        assertEquals(List.of("2026-11-30/manifest.json"), files(openData), "left as it was");

        Path other = dir.resolve("other.duckdb");
        Files.writeString(DemoOpenData.directory(other), "notes\n");
        assertEquals(DemoOpenData.directory(other) + " is not a directory, and the demo publishes its open data there:"
                + " move it, or give the demo another --db",
                assertThrows(UsageException.class, () -> DemoOpenData.replace(other)).getMessage());
        assertEquals("notes\n", Files.readString(DemoOpenData.directory(other)));
    }
}
