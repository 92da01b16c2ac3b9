package lookout.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.sql.SQLException;
import java.util.UUID;

import org.apache.flink.api.connector.sink2.SinkWriter;

import lookout.schema.SinkBatch;
import lookout.schema.TableRow;

/** Applies rows to a freshly emptied DuckDB file each time its buffer fills, and publishes at the end of input. */
final class DuckDbRebuildWriter implements SinkWriter<TableRow> {
    private final DuckDbStore store;
    private final int bufferRows;
    private final SinkBuffer buffer = new SinkBuffer();
    private final String runId = UUID.randomUUID().toString();
    private long sequence;

    private DuckDbRebuildWriter(DuckDbStore store, int bufferRows) {
        this.store = store;
        this.bufferRows = bufferRows;
    }

    static DuckDbRebuildWriter start(Path db, PublishedAreas areas, ZoneId zone, long asOfMillis, int bufferRows)
            throws IOException {
        LookoutDatabase.requirePublishable(db);
        DuckDbStore.delete(db);
        try {
            DuckDbStore store = DuckDbStore.open(db, asOfMillis, zone);
            store.writeAreas(areas);
            return new DuckDbRebuildWriter(store, bufferRows);
        } catch (SQLException e) {
            throw new IOException("cannot create DuckDB file " + DuckDbStore.writerFile(db), e);
        }
    }

    @Override
    public void write(TableRow row, Context context) throws IOException {
        buffer.add(row);
        if (buffer.size() >= bufferRows) {
            applyBuffer();
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        applyBuffer();
        if (endOfInput) {
            try {
                store.publish();
            } catch (SQLException e) {
                throw new IOException("could not publish the DuckDB file", e);
            }
        }
    }

    private void applyBuffer() throws IOException {
        if (buffer.size() == 0) {
            return;
        }
        try {
            store.apply(new SinkBatch(runId, ++sequence, buffer.drain()));
        } catch (SQLException e) {
            throw new IOException("could not write to DuckDB", e);
        }
    }

    @Override
    public void close() throws SQLException {
        store.close();
    }
}
