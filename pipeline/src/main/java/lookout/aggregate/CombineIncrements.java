package lookout.aggregate;

import java.util.function.Consumer;

import org.apache.flink.api.common.functions.Partitioner;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.MathUtils;

import lookout.schema.TableRow;

/**
 * The first phase of a two-phase aggregation: the count, delay and substance increments of a subtask's events
 * summed per cell before they leave it, so the single-writer sink receives a row per cell and flush rather than
 * a row per event. The tables are unchanged because every increment is added in DuckDB: a cell's rows may be split
 * across flushes and subtasks in any way. Its input is partitioned by area ({@link #BY_AREA}), so an area's cells
 * are summed on one subtask and leave once per flush rather than once per subtask.
 *
 * <p>The sums are flushed when the input ends (a backfill), when the watermark advances (a stream's cells leave
 * at the pace of event time) and before every checkpoint barrier, so a checkpoint holds no sums: what was counted
 * before the barrier is in that checkpoint's sink transaction and nothing is in operator state, so a restore
 * neither loses nor doubles a cell. Caps on the cells held bound the heap in a long backfill, whose events come
 * in no time order (sorted by dedupe key); flushing early only splits a cell's sum. Each kind of cell has its own
 * share of the heap. Hourly cells are the most numerous (a year of Toronto's 5 M events fills about 3.2 M of them,
 * 2.5 events each), so they get a quarter of it and leave on their own when it is full: with a fixed cap of 2^17
 * the writer received a row for almost every event. The coarse cells (days, reporting delays, substances by week)
 * gather many events each and number no more than areas × days; when their eighth of the heap is full, every cell
 * leaves. In a stream every checkpoint flushes, so the cells held stay few.
 *
 * <p>Every event passes here, so an event's increments go to the sums as plain values ({@link SummedCells}) and the
 * sink's rows are made only when the sums leave, one per cell.
 */
public final class CombineIncrements extends AbstractStreamOperator<TableRow>
        implements OneInputStreamOperator<CountedEvent, TableRow>, BoundedOneInput {
    private static final long serialVersionUID = 1L;
    /**
     * The same area goes to the same subtask, whatever the parallelism: the id's hash, mixed as Flink mixes a keyBy's
     * key hash, modulo the subtasks.
     */
    public static final Partitioner<String> BY_AREA =
            (areaId, subtasks) -> MathUtils.murmurHash(areaId.hashCode()) % subtasks;
    /** The fewest cells of a kind a subtask holds before they leave, however small the heap. */
    static final int MIN_CELLS = 1 << 17;
    /**
     * Heap an hourly cell takes when their table is full: three longs in a table half full and its place in the
     * order. The table grows by doubling, so its cap is a power of two and the table is then exactly full.
     */
    static final long BYTES_PER_HOUR_CELL = 52;
    /** All subtasks' hourly cells together take at most this share of the heap. */
    static final int HOUR_HEAP_SHARE = 4;
    /** Heap a coarse cell may take: their cap is no power of two, so their table may have twice the room they fill. */
    static final long BYTES_PER_COARSE_CELL = 112;
    /** All subtasks' coarse cells together take at most this share of the heap. */
    static final int COARSE_HEAP_SHARE = 8;

    private final CountIncrements counts;
    private final DelayIncrements delays;
    private final SubstanceIncrements substances;
    /** Fixed by a test, or 0: worked out from the heap and the parallelism when the operator opens. */
    private int maxHourCells;
    /** As {@link #maxHourCells}. */
    private int maxCoarseCells;
    private transient SummedCells sums;
    private transient Consumer<TableRow> emit;

    public CombineIncrements(TimeBuckets buckets, SubstanceIncrements.WatchList watch) {
        this(buckets, watch, 0, 0);
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
        long heap = Runtime.getRuntime().maxMemory();
        int subtasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        if (maxHourCells == 0) {
            maxHourCells = hourCellsFor(heap, subtasks);
        }
        if (maxCoarseCells == 0) {
            maxCoarseCells = coarseCellsFor(heap, subtasks);
        }
    }

    /**
     * The hourly cells a subtask may hold: the largest power of two that its part of the heap's share holds, at least
     * {@link #MIN_CELLS}.
     */
    static int hourCellsFor(long maxHeapBytes, int parallelism) {
        long cells = maxHeapBytes / HOUR_HEAP_SHARE / parallelism / BYTES_PER_HOUR_CELL;
        return Integer.highestOneBit((int) Math.min(1 << 30, Math.max(MIN_CELLS, cells)));
    }

    /** The coarse cells a subtask may hold: its part of the heap's share, at least {@link #MIN_CELLS}. */
    static int coarseCellsFor(long maxHeapBytes, int parallelism) {
        long cells = maxHeapBytes / COARSE_HEAP_SHARE / parallelism / BYTES_PER_COARSE_CELL;
        return (int) Math.min(Integer.MAX_VALUE / 2, Math.max(MIN_CELLS, cells));
    }

    @Override
    public void processElement(StreamRecord<CountedEvent> element) throws Exception {
        CountedEvent event = element.getValue();
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
