package lookout.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.sql.SQLException;

import org.apache.flink.api.connector.sink2.SinkWriter;

import lookout.kernel.StopSignal;
import lookout.schema.TableRow;

/**
 * Stages every row in a freshly emptied DuckDB file as it comes, and at the end of input builds the tables from them
 * in one pass and publishes ({@link DuckDbBulkLoad}).
 */
final class DuckDbRebuildWriter implements SinkWriter<TableRow> {
    private final DuckDbStore store;
    private final DuckDbBulkLoad load;
    private boolean built;

    private DuckDbRebuildWriter(DuckDbStore store, DuckDbBulkLoad load) {
        this.store = store;
        this.load = load;
    }

    static DuckDbRebuildWriter start(Path db, PublishedAreas areas, ZoneId zone, long asOfMillis) throws IOException {
        LookoutDatabase.requirePublishable(db);
        DuckDbStore.deleteWriter(db);
        DuckDbStore store = null;
        try {
            store = DuckDbStore.open(db, asOfMillis, zone);
            store.writeAreas(areas);
            return new DuckDbRebuildWriter(store, store.startBulkLoad());
        } catch (SQLException e) {
            IOException failure = new IOException("cannot create DuckDB file " + DuckDbStore.writerFile(db), e);
            if (store != null) {
                try {
                    store.close();
                } catch (SQLException closing) {
                    failure.addSuppressed(closing);
                }
            }
            throw failure;
        }
    }

    @Override
    public void write(TableRow row, Context context) throws IOException {
        try {
            load.append(row);
        } catch (SQLException e) {
            throw new IOException("could not stage a row in DuckDB", e);
        }
    }

    @Override
    public void flush(boolean endOfInput) throws IOException {
        if (!endOfInput || built) {
            return;
        }
        built = true;
        try {
            store.build(load);
        } catch (SQLException e) {
            throw new IOException("could not build the DuckDB tables", e);
        }
        // A backfill stopped by Ctrl-C or SIGTERM replaces nothing, however near its end the signal came, and its
        // shutdown hook finds the file either replaced or as it was.
        if (!StopSignal.unlessStopping(this::publish)) {
            throw new IOException("stopped before publishing the rebuilt DuckDB file");
        }
    }

    private void publish() throws IOException {
        try {
            store.publish();
        } catch (SQLException e) {
            throw new IOException("could not publish the DuckDB file", e);
        }
    }

    @Override
    public void close() throws SQLException {
        try {
            load.abandon();
        } finally {
            store.close();
        }
    }
}
