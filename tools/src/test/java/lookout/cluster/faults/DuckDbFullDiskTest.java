package lookout.cluster.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.schema.CountDelta;
import lookout.schema.SinkBatch;
import lookout.schema.TableRow;
import lookout.sink.DuckDbStore;
import lookout.testing.Db;

/** The DuckDB writer's disk fills up under a commit: the failure says so, and nothing of the batch is applied. */
class DuckDbFullDiskTest {
    @TempDir
    Path dir;

    private static SinkBatch batch(long sequence, int rows) {
        List<TableRow> cells = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            cells.add(TableRow.newBuilder().setCount(new CountDelta("hour", 1_700_000_000L + 3600L * i,
                    "A" + (i % 100), "paramedic", 1L)).build());
        }
        return new SinkBatch("run", sequence, cells);
    }

    @Test
    void aCommitOnAFullDiskFailsNamingTheDiskAndAppliesNothing() throws Exception {
        SmallDisk.assumeRootCanMount();
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("small-disk"), 16)) {
            Path db = disk.dir().resolve("lookout.duckdb");
            try (DuckDbStore store = DuckDbStore.open(db, null, ZoneId.of("UTC"))) {
                assertTrue(store.apply(batch(1, 10)));
                store.publish();
                disk.fill();
                SQLException full = assertThrows(SQLException.class, () -> store.apply(batch(2, 50_000)));
                assertTrue(full.getMessage().contains("No space left on device"),
                        "the cause, not the rollback's 'no transaction is active': " + full.getMessage());
            }
            disk.empty();
            // As the restarted job's committer does: a new connection, the batch offered again.
            try (DuckDbStore store = DuckDbStore.open(db, null, ZoneId.of("UTC"))) {
                assertTrue(store.apply(batch(2, 10)), "the batch once there is room");
                store.publish();
            }
            assertEquals(List.of("20"), Db.query(db, "SELECT sum(count) FROM area_counts"));
        }
    }
}
