package lookout.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import lookout.schema.TableRow;

/**
 * DuckDB sink for BATCH backfills, which rebuild their file from their input alone. A BATCH job has no
 * checkpoints, so the exactly-once {@link DuckDbSink} would hold the whole run for one commit at the end of
 * input; this sink instead bulk-loads: it appends every row to unindexed staging tables in DuckDB as it comes, and
 * builds the tables from them in one set-based pass at the end of input ({@link DuckDbBulkLoad}), keeping the heap
 * flat however long the history. Each writer starts from an empty file: if Flink restarts the writer, its blocking
 * input is replayed in full, so starting over is what keeps the counts exact. Must run with parallelism 1.
 */
public final class DuckDbRebuildSink implements Sink<TableRow> {
    private final String db;
    private final PublishedAreas areas;
    private final ZoneId zone;
    private final long asOfMillis;

    /**
     * @param areas what the {@code areas} and {@code area_shapes} tables hold
     * @param zone the zone whose calendar days the counts' days are
     * @param asOfMillis the {@code updated_at} of every row, so that reruns over the same input are identical
     */
    public DuckDbRebuildSink(Path db, PublishedAreas areas, ZoneId zone, long asOfMillis) {
        this.db = db.toAbsolutePath().toString();
        this.areas = areas;
        this.zone = zone;
        this.asOfMillis = asOfMillis;
    }

    @Override
    public SinkWriter<TableRow> createWriter(WriterInitContext context) throws IOException {
        return DuckDbRebuildWriter.start(Path.of(db), areas, zone, asOfMillis);
    }
}
