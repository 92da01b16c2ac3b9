package lookout.aggregate;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import lookout.schema.CountDelta;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.TableRow;

/**
 * Each event adds one to its hour cell and its day cell. Counts are kept as increments applied in DuckDB, not
 * as per-bucket Flink state, so a coroner report weeks late revises its buckets however old they are.
 */
public final class CountIncrements implements FlatMapFunction<DeidentifiedEvent, TableRow> {
    private final TimeBuckets buckets;

    public CountIncrements(TimeBuckets buckets) {
        this.buckets = buckets;
    }

    @Override
    public void flatMap(DeidentifiedEvent event, Collector<TableRow> out) {
        long t = event.getOccurredMinute();
        out.collect(row(TimeBuckets.HOUR, buckets.hourStart(t), event));
        out.collect(row(TimeBuckets.DAY, buckets.dayStart(t), event));
    }

    private static TableRow row(String granularity, long bucketStart, DeidentifiedEvent event) {
        return TableRow.newBuilder()
                .setCount(new CountDelta(granularity, bucketStart, event.getAreaId(), event.getSignal(), 1L))
                .build();
    }
}
