package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.schema.SinkBatch;

/** The sinks replace only their own files, also where no CLI checked first (a job submitted to a cluster). */
class LookoutDatabaseTest {
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");
    private static final PublishedAreas NO_AREAS = new PublishedAreas(Map.of(), Map.of());

    @TempDir
    Path dir;

    @Test
    void tellsLookoutDatabasesFromOtherFiles() throws Exception {
        Path text = Files.writeString(dir.resolve("notes.txt"), "my notes\n");
        Path other = dir.resolve("other.duckdb");
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE invoices (id INTEGER)");
        }
        Path lookout = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(lookout, 0L, ZONE)) {
            store.publish();
        }
        assertEquals(LookoutDatabase.Kind.OTHER, LookoutDatabase.kind(text));
        assertEquals(LookoutDatabase.Kind.OTHER, LookoutDatabase.kind(other));
        assertEquals(LookoutDatabase.Kind.OTHER, LookoutDatabase.kind(dir));
        assertEquals(LookoutDatabase.Kind.LOOKOUT, LookoutDatabase.kind(lookout));
        assertEquals(LookoutDatabase.Kind.LOOKOUT, LookoutDatabase.kind(DuckDbStore.writerFile(lookout)));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + lookout); Statement s = c.createStatement()) {
            s.execute("DROP TABLE area_shapes");
        }
        assertEquals(LookoutDatabase.Kind.LOOKOUT, LookoutDatabase.kind(lookout), "written before area_shapes existed");
    }

    @Test
    void aRebuildingSinkRefusesToReplaceAPublishedFileThatIsNotItsOwn() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.duckdb"), "my notes\n");
        IOException e = assertThrows(IOException.class, () -> DuckDbRebuildWriter.start(notes, NO_AREAS, ZONE, 0));
        assertEquals("refusing to replace " + notes + ": it is not a Lookout database", e.getMessage());
        assertEquals("my notes\n", Files.readString(notes));
    }

    @Test
    void aHalfWrittenSnapshotLeftByACrashDoesNotStopTheSinkFromPublishing() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, 0L, ZONE)) {
            store.publish();
        }
        Files.writeString(db.resolveSibling("lookout.duckdb.publishing"), "half a snapshot");
        assertEquals(Optional.empty(), LookoutDatabase.firstOfKind(db, LookoutDatabase.Kind.OTHER));
        DuckDbRebuildWriter writer = DuckDbRebuildWriter.start(db, NO_AREAS, ZONE, 0);
        writer.flush(true);
        writer.close();
        assertEquals(LookoutDatabase.Kind.LOOKOUT, LookoutDatabase.kind(db));
    }

    @Test
    void aStreamingSinkRefusesToPublishAnEmptyDatabaseOverOneWhoseWriterIsGone() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbStore store = DuckDbStore.open(db, null, ZONE)) {
            store.apply(new SinkBatch("run", 1L, List.of()));
            store.publish();
        }
        Files.delete(DuckDbStore.writerFile(db));
        byte[] published = Files.readAllBytes(db);
        IOException refused = assertThrows(IOException.class,
                () -> LookoutDatabase.requireWriterOfPublished(db));
        assertEquals("the writer's file " + DuckDbStore.writerFile(db) + " is missing beside the published"
                + " lookout.duckdb: a job would publish an empty database over its counts; put the writer's file back,"
                + " or rebuild the history with backfill", refused.getMessage());
        assertArrayEquals(published, Files.readAllBytes(db));
        Files.delete(db);
        LookoutDatabase.requireWriterOfPublished(db);
    }
}
