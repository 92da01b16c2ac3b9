package lookout.sink;

import java.io.IOException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.connector.sink2.Committer;

import lookout.schema.SinkBatch;

/** Applies completed checkpoints' batches to the writer's file, then republishes the readers' copy. */
final class DuckDbCommitter implements Committer<PendingBatch> {
    private final DuckDbStore store;
    private final DuckDbStore.Committing by;

    /** @param by the job this committer runs in, as each batch it commits records it */
    DuckDbCommitter(DuckDbStore store, DuckDbStore.Committing by) {
        this.store = store;
        this.by = by;
    }

    @Override
    public void commit(Collection<CommitRequest<PendingBatch>> requests) throws IOException {
        List<CommitRequest<PendingBatch>> ordered = new ArrayList<>(requests);
        ordered.sort(Comparator.comparingLong(r -> r.getCommittable().batch().getSequence()));
        boolean changed = false;
        for (CommitRequest<PendingBatch> request : ordered) {
            PendingBatch pending = request.getCommittable();
            SinkBatch batch = pending.batch();
            try {
                if (store.apply(pending, by)) {
                    changed = true;
                } else {
                    request.signalAlreadyCommitted();
                }
            } catch (DuckDbStore.WriterMismatch e) {
                throw new SinkRefusal(e.getMessage());
            } catch (SQLException e) {
                // Thrown, not signalled: Flink would log the committable whole, restricted counts and all.
                throw new IOException("cannot commit batch " + batch.getSequence() + " of run " + batch.getRunId()
                        + " (" + batch.getRows().size() + " rows): " + e.getMessage(), e);
            }
        }
        if (changed) {
            try {
                store.publish();
            } catch (SQLException e) {
                throw new IOException(DuckDbStore.PUBLISH_FAILED, e);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        store.close();
    }
}
