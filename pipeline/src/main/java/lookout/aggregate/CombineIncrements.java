package lookout.aggregate;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.Collector;

import lookout.schema.CountDelta;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DelayDelta;
import lookout.schema.SubstanceDelta;
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
    /** Each cell is its delta record with the delta set to zero, so equal cells are equal keys; insertion order. */
    private transient Map<SpecificRecord, long[]> sums;
    private transient Collector<TableRow> summing;

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
        sums = new LinkedHashMap<>();
        summing = new Collector<>() {
            @Override
            public void collect(TableRow row) {
                add(row);
            }

            @Override
            public void close() {}
        };
    }

    @Override
    public void processElement(StreamRecord<DeidentifiedEvent> element) throws Exception {
        DeidentifiedEvent event = element.getValue();
        counts.flatMap(event, summing);
        delays.flatMap(event, summing);
        substances.flatMap(event, summing);
        if (sums.size() >= maxCells) {
            flush();
        }
    }

    private void add(TableRow row) {
        SpecificRecord cell;
        long delta;
        if (row.getCount() != null) {
            CountDelta c = row.getCount();
            delta = c.getDelta();
            c.setDelta(0L);
            cell = c;
        } else if (row.getDelay() != null) {
            DelayDelta d = row.getDelay();
            delta = d.getDelta();
            d.setDelta(0L);
            cell = d;
        } else {
            SubstanceDelta s = row.getSubstance();
            delta = s.getDelta();
            s.setDelta(0L);
            cell = s;
        }
        sums.computeIfAbsent(cell, c -> new long[1])[0] += delta;
    }

    /** Each cell once with its sum, then nothing held. */
    private void flush() {
        for (Map.Entry<SpecificRecord, long[]> e : sums.entrySet()) {
            output.collect(new StreamRecord<>(row(e.getKey(), e.getValue()[0])));
        }
        sums.clear();
    }

    private static TableRow row(SpecificRecord cell, long sum) {
        TableRow.Builder row = TableRow.newBuilder();
        if (cell instanceof CountDelta c) {
            c.setDelta(sum);
            return row.setCount(c).build();
        }
        if (cell instanceof DelayDelta d) {
            d.setDelta(sum);
            return row.setDelay(d).build();
        }
        SubstanceDelta s = (SubstanceDelta) cell;
        s.setDelta(sum);
        return row.setSubstance(s).build();
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
