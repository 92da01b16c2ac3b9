package lookout.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.geo.Boundaries;
import lookout.schema.CountDelta;
import lookout.schema.DetectorAlarm;
import lookout.schema.TableRow;
import lookout.testing.Db;

class DuckDbRebuildWriterTest {
    private static final ZoneId ZONE = ZoneId.of("America/Toronto");
    private static final long AS_OF = 1_700_000_000_000L;
    private static final PublishedAreas DEMO_AREAS = PublishedAreas.of(Boundaries.load(Boundaries.DEMO));

    @TempDir
    Path dir;

    private static TableRow count(String area, long delta) {
        return TableRow.newBuilder().setCount(new CountDelta("day", 1_700_000_000L, area, "paramedic", delta)).build();
    }

    private static TableRow alarm(int observed) {
        return TableRow.newBuilder().setAlarm(new DetectorAlarm("A1", "paramedic", "earsC_C1", "2023-11-14", observed,
                1.0, 2.5, observed > 2)).build();
    }

    private static final List<TableRow> INPUT = List.of(count("A1", 1), count("A2", 2), count("A1", 3), alarm(1), alarm(3));

    private static void writeAll(DuckDbRebuildWriter writer, List<TableRow> rows) throws Exception {
        for (TableRow row : rows) {
            writer.write(row, null);
        }
    }

    /** A whole run of the writer over {@code rows}: started, fed, ended by the end of input, which publishes. */
    private static void rebuild(Path db, List<TableRow> rows) throws Exception {
        try (DuckDbRebuildWriter writer = DuckDbRebuildWriter.start(db, DEMO_AREAS, ZONE, AS_OF)) {
            writeAll(writer, rows);
            writer.flush(true);
        }
    }

    private static List<String> counts(Path db) throws Exception {
        return Db.query(db, "SELECT area_id, count FROM area_counts ORDER BY area_id");
    }

    @Test
    void rowsAreStagedAsTheyComeAndAddUpWhenTheTablesAreBuiltAtTheEndOfInput() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbRebuildWriter writer = DuckDbRebuildWriter.start(db, DEMO_AREAS, ZONE, AS_OF)) {
            writeAll(writer, INPUT);
            writer.flush(false);
            writer.flush(true);
        }
        assertEquals(List.of("A1|4|2023-11-14 22:13:20.0", "A2|2|2023-11-14 22:13:20.0"), Db.query(db,
                "SELECT area_id, count, updated_at AT TIME ZONE 'UTC' FROM area_counts ORDER BY area_id"));
        assertEquals(List.of("3|true"), Db.query(db, "SELECT observed, alarm FROM detector_alarms"), "the latest alarm");
        assertEquals(List.of("A1|4", "A2|2"), Db.query(DuckDbStore.writerFile(db),
                "SELECT area_id, count FROM area_counts ORDER BY area_id"), "the writer's file holds the tables too");
        assertEquals(40, Db.count(db, "SELECT count(*) FROM areas"));
    }

    /** A backfill stopped or failed before it publishes leaves the database it was to replace as it was. */
    @Test
    void thePublishedFileStaysForItsReadersUntilTheRebuiltOneReplacesIt() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        rebuild(db, INPUT);
        try (DuckDbRebuildWriter stopped = DuckDbRebuildWriter.start(db, DEMO_AREAS, ZONE, AS_OF)) {
            writeAll(stopped, List.of(count("A1", 100)));
            assertEquals(List.of("A1|4", "A2|2"), counts(db), "while the rebuild runs");
        }
        assertEquals(List.of("A1|4", "A2|2"), counts(db), "after it stopped without publishing");
    }

    @Test
    void aRestartedWriterStartsFromAnEmptyFileSoReplayedInputCountsOnce() throws Exception {
        Path db = dir.resolve("lookout.duckdb");
        try (DuckDbRebuildWriter failed = DuckDbRebuildWriter.start(db, DEMO_AREAS, ZONE, AS_OF)) {
            writeAll(failed, INPUT.subList(0, 3));
        }
        rebuild(db, INPUT);
        assertEquals(List.of("A1|4", "A2|2"), counts(db));
    }
}
