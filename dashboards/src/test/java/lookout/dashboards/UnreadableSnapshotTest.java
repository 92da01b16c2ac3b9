package lookout.dashboards;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * A file renamed over the published path that is not a readable snapshot is refused with 503 and a reason on every
 * data route, and the site recovers when a good snapshot is renamed over it.
 */
class UnreadableSnapshotTest extends WithApiServer {
    static final List<String> API = List.of("/api/areas", "/api/public/alerts");
    static final List<String> PAGES = List.of("/", "/areas/A1", "/alerts");

    @Test
    void aTextFileIsRefusedWith503UntilASnapshotReturns() throws Exception {
        Path text = dir.resolve("text.duckdb");
        Files.writeString(text, "area_id,name\nA1,Alpha\n");
        refusedUntilRepublished(text);
    }

    @Test
    void aTruncatedSnapshotIsRefusedWith503UntilASnapshotReturns() throws Exception {
        Path truncated = dir.resolve("truncated.duckdb");
        Files.copy(api.db, truncated);
        try (FileChannel f = FileChannel.open(truncated, StandardOpenOption.WRITE)) {
            f.truncate(f.size() / 2);
        }
        refusedUntilRepublished(truncated);
    }

    @Test
    void aDuckDbFileWithoutThePublishedTablesIsRefusedWith503UntilASnapshotReturns() throws Exception {
        Path other = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other.toAbsolutePath())) {
            c.createStatement().execute("CREATE TABLE notes (note VARCHAR)");
        }
        refusedUntilRepublished(other);
    }

    private void refusedUntilRepublished(Path bad) throws Exception {
        Path good = dir.resolve("good.duckdb");
        Files.copy(api.db, good);
        assertEquals(200, api.get("/api/areas", null).statusCode(), "the good snapshot is open first");
        renameOverPublished(bad);
        for (String path : API) {
            HttpResponse<String> r = api.get(path, null);
            assertEquals(503, r.statusCode(), path);
            assertEquals("{\"error\":\"the published database cannot be read\"}", r.body(), path);
        }
        for (String path : PAGES) {
            HttpResponse<String> r = api.get(path, null);
            assertEquals(503, r.statusCode(), path);
            assertTrue(r.body().contains("The published database cannot be read."), path + ": " + r.body());
        }
        renameOverPublished(good);
        for (String path : API) {
            assertEquals(200, api.get(path, null).statusCode(), path);
        }
        for (String path : PAGES) {
            assertEquals(200, api.get(path, null).statusCode(), path);
        }
    }

    private void renameOverPublished(Path file) throws IOException {
        Files.move(file, api.db, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
