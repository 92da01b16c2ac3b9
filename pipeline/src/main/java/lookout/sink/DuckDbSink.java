package lookout.sink;

import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

import org.apache.flink.api.connector.sink2.Committer;
import org.apache.flink.api.connector.sink2.CommitterInitContext;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.SupportsCommitter;
import org.apache.flink.api.connector.sink2.SupportsWriterState;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.io.SimpleVersionedSerializer;

import lookout.schema.TableRow;

/**
 * Exactly-once DuckDB sink: writes reach DuckDB only when their checkpoint completes, in one transaction
 * per batch that also records the batch, so a restart from a checkpoint neither loses nor repeats a write.
 * DuckDB has a single writer, so this sink must run with parallelism 1. BATCH backfills, which have no
 * checkpoints, use {@link DuckDbRebuildSink}.
 */
public final class DuckDbSink implements Sink<TableRow>, SupportsCommitter<PendingBatch>,
        SupportsWriterState<TableRow, WriterState> {
    private final String db;
    private final PublishedAreas areas;
    private final ZoneId zone;
    private final String keyId;
    private final boolean freshStart;
    private final String restoredFrom;

    /**
     * @param areas what the {@code areas} and {@code area_shapes} tables hold
     * @param zone the zone whose calendar days the counts' days are
     * @param keyId the pseudonym key's id ({@link lookout.privacy.PseudonymKey#id}): a run resumed under another key
     *              is refused
     * @param freshStart whether the job may start a new run on a file other runs wrote, or go on after another run
     *                   committed there ({@code run --fresh-state})
     * @param restoredFrom the checkpoint or savepoint the job is restored from, named if a batch it keeps for its
     *                     commit cannot be read; null if none or not known
     */
    public DuckDbSink(Path db, PublishedAreas areas, ZoneId zone, String keyId, boolean freshStart,
            String restoredFrom) {
        this.db = db.toAbsolutePath().toString();
        this.areas = areas;
        this.zone = zone;
        this.keyId = keyId;
        this.freshStart = freshStart;
        this.restoredFrom = restoredFrom;
    }

    /**
     * A writer for a new run: a job started without a restore, or restored from a checkpoint taken before this sink
     * had state. Unless {@code freshStart}, refused on a writer's file that earlier runs committed to, before the job
     * has counted or published anything: without their state, records read again would be counted again.
     */
    @Override
    public StatefulSinkWriter<TableRow, WriterState> createWriter(WriterInitContext context) throws IOException {
        if (!freshStart) {
            DuckDbStore.refuseAStartWithoutEarlierState(Path.of(db));
        }
        return new DuckDbSinkWriter(UUID.randomUUID().toString(), 0);
    }

    @Override
    public StatefulSinkWriter<TableRow, WriterState> restoreWriter(WriterInitContext context, Collection<WriterState> states)
            throws IOException {
        if (states.isEmpty()) {
            return createWriter(context);
        }
        WriterState state = states.iterator().next();
        return new DuckDbSinkWriter(state.runId(), state.sequence());
    }

    @Override
    public SimpleVersionedSerializer<WriterState> getWriterStateSerializer() {
        return WriterState.SERIALIZER;
    }

    @Override
    public Committer<PendingBatch> createCommitter(CommitterInitContext context) throws IOException {
        LookoutDatabase.requirePublishable(Path.of(db));
        LookoutDatabase.requireWriterOfPublished(Path.of(db));
        DuckDbStore store;
        try {
            store = DuckDbStore.open(Path.of(db), null, zone);
        } catch (SQLException e) {
            throw new IOException("cannot open DuckDB file " + DuckDbStore.writerFile(Path.of(db)), e);
        }
        try {
            store.writeAreas(areas);
            store.publish();
        } catch (SQLException e) {
            DuckDbStore.closeAfter(store, e);
            throw new IOException(DuckDbStore.PUBLISH_FAILED, e);
        } catch (IOException | RuntimeException e) {
            DuckDbStore.closeAfter(store, e);
            throw e;
        }
        return new DuckDbCommitter(store, new DuckDbStore.Committing(context.getJobInfo().getJobId().toString(),
                keyId, freshStart));
    }

    @Override
    public SimpleVersionedSerializer<PendingBatch> getCommittableSerializer() {
        return new PendingBatchSerializer(restoredFrom);
    }
}
