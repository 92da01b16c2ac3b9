package lookout.aggregate;

import java.util.function.Consumer;

import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import lookout.schema.DeidentifiedEvent;
import lookout.schema.TableRow;

/**
 * The first phase of a two-phase aggregation: the count, delay and substance increments of a subtask's events
 * summed per cell before they leave it, so the single-writer sink receives a row per cell and flush rather than
 * a row per event. The tables are unchanged because every increment is added in DuckDB: a cell's rows may be split
 * across flushes and subtasks in any way.
 *
 * <p>The sums are flushed when the input ends (a backfill), when the watermark advances (a stream's cells leave
 * at the pace of event time) and before every checkpoint barrier, so a checkpoint holds no sums: what was counted
 * before the barrier is in that checkpoint's sink transaction and nothing is in operator state, so a restore
 * neither loses nor doubles a cell. A cap on the cells held bounds the heap in a long backfill, whose events come
 * in no time order; flushing early only splits a cell's sum.
 *
 * <p>Every event passes here, so an event's increments go to the sums as plain values ({@link SummedCells}) and the
 * sink's rows are made only when the sums leave, one per cell.
 */
public final class CombineIncrements extends AbstractStreamOperator<TableRow>
        implements OneInputStreamOperator<DeidentifiedEvent, TableRow>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /** Cells held per subtask before an early flush: a bound on the heap that does not grow with the input. */
    static final int MAX_CELLS = 1 << 17;

    private final CountIncrements counts;
    private final DelayIncrements delays;
    private final SubstanceIncrements substances;
    private final int maxCells;
    private transient SummedCells sums;
    private transient Consumer<TableRow> emit;

    public CombineIncrements(TimeBuckets buckets, SubstanceIncrements.WatchList watch) {
        this(buckets, watch, MAX_CELLS);
    }

    CombineIncrements(TimeBuckets buckets, SubstanceIncrements.WatchList watch, int maxCells) {
        this.counts = new CountIncrements(buckets);
        this.delays = new DelayIncrements(buckets);
        this.substances = new SubstanceIncrements(buckets, watch);
        this.maxCells = maxCells;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new SummedCells(substances::watchEntry);
        emit = row -> output.collect(new StreamRecord<>(row));
    }

    @Override
    public void processElement(StreamRecord<DeidentifiedEvent> element) throws Exception {
        DeidentifiedEvent event = element.getValue();
        counts.add(event, sums);
        delays.add(event, sums);
        substances.add(event, sums);
        if (sums.size() >= maxCells) {
            flush();
        }
    }

    /** Each cell once with its sum, then nothing held. */
    private void flush() {
        sums.drain(emit);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }
}
