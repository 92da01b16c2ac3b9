package lookout.sink;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;

import lookout.schema.SinkBatch;
import lookout.schema.TableRow;

/** Collects one checkpoint's writes and hands them to the committer when the checkpoint barrier passes. */
final class DuckDbSinkWriter implements CommittingSinkWriter<TableRow, PendingBatch>,
        StatefulSinkWriter<TableRow, WriterState> {
    /** Bounds the size of one serialised committable when a checkpoint touched very many cells. */
    private static final int MAX_BATCH_ROWS = 50_000;

    private final String runId;
    private long sequence;
    private final SinkBuffer buffer = new SinkBuffer();

    DuckDbSinkWriter(String runId, long sequence) {
        this.runId = runId;
        this.sequence = sequence;
    }

    @Override
    public void write(TableRow row, Context context) {
        buffer.add(row);
    }

    @Override
    public void flush(boolean endOfInput) {}

    @Override
    public Collection<PendingBatch> prepareCommit() {
        List<TableRow> rows = buffer.drain();
        List<PendingBatch> batches = new ArrayList<>((rows.size() + MAX_BATCH_ROWS - 1) / MAX_BATCH_ROWS);
        for (int from = 0; from < rows.size(); from += MAX_BATCH_ROWS) {
            List<TableRow> part = new ArrayList<>(rows.subList(from, Math.min(rows.size(), from + MAX_BATCH_ROWS)));
            batches.add(PendingBatch.of(new SinkBatch(runId, ++sequence, part)));
        }
        return batches;
    }

    @Override
    public List<WriterState> snapshotState(long checkpointId) {
        return List.of(new WriterState(runId, sequence));
    }

    @Override
    public void close() {}
}
