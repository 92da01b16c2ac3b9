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
 * neither loses nor doubles a cell. Caps on the cells held bound the heap in a long backfill, whose events come
 * in no time order (sorted by dedupe key); flushing early only splits a cell's sum. Hourly cells seldom hold two
 * events of a year of a city, so they leave whenever {@link #MAX_HOUR_CELLS} are held; the coarse cells (days,
 * reporting delays, substances by week) gather many events each and number no more than areas × days, so they are
 * held up to a share of the heap: with the hourly cells' cap for all, a 5 M-event backfill sent the writer a daily
 * row for almost every event.
 *
 * <p>Every event passes here, so an event's increments go to the sums as plain values ({@link SummedCells}) and the
 * sink's rows are made only when the sums leave, one per cell.
 */
public final class CombineIncrements extends AbstractStreamOperator<TableRow>
        implements OneInputStreamOperator<DeidentifiedEvent, TableRow>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /** Hourly cells held per subtask before they leave early: a bound on the heap that does not grow with the input. */
    static final int MAX_HOUR_CELLS = 1 << 17;
    /** Heap a held cell may take: three longs in a table at most half full and its place in the order, doubled as it grows. */
    static final long BYTES_PER_CELL = 112;
    /** All subtasks' coarse cells together take at most this share of the heap. */
    static final int HEAP_SHARE = 8;

    private final CountIncrements counts;
    private final DelayIncrements delays;
    private final SubstanceIncrements substances;
    private final int maxHourCells;
    /** Fixed by a test, or 0: worked out from the heap and the parallelism when the operator opens. */
    private int maxCoarseCells;
    private transient SummedCells sums;
    private transient Consumer<TableRow> emit;

    public CombineIncrements(TimeBuckets buckets, SubstanceIncrements.WatchList watch) {
        this(buckets, watch, MAX_HOUR_CELLS, 0);
    }

    CombineIncrements(TimeBuckets buckets, SubstanceIncrements.WatchList watch, int maxHourCells, int maxCoarseCells) {
        this.counts = new CountIncrements(buckets);
        this.delays = new DelayIncrements(buckets);
        this.substances = new SubstanceIncrements(buckets, watch);
        this.maxHourCells = maxHourCells;
        this.maxCoarseCells = maxCoarseCells;
    }

    @Override
    public void open() throws Exception {
        super.open();
        sums = new SummedCells(substances::watchEntry);
        emit = row -> output.collect(new StreamRecord<>(row));
        if (maxCoarseCells == 0) {
            maxCoarseCells = coarseCellsFor(Runtime.getRuntime().maxMemory(),
                    getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
        }
    }

    /** The coarse cells a subtask may hold: its part of the heap's share, never fewer than the hourly cap. */
    static int coarseCellsFor(long maxHeapBytes, int parallelism) {
        long cells = maxHeapBytes / HEAP_SHARE / parallelism / BYTES_PER_CELL;
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(MAX_HOUR_CELLS, cells));
    }

    @Override
    public void processElement(StreamRecord<DeidentifiedEvent> element) throws Exception {
        DeidentifiedEvent event = element.getValue();
        counts.add(event, sums);
        delays.add(event, sums);
        substances.add(event, sums);
        if (sums.hourCells() >= maxHourCells) {
            sums.drainHours(emit);
        }
        if (sums.coarseCells() >= maxCoarseCells) {
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
