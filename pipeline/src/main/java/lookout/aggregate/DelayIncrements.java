package lookout.aggregate;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import lookout.schema.DelayDelta;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.TableRow;

/**
 * Each event adds one to its signal's reporting-triangle cell: the local day it occurred by the local day it was
 * reported. Increments applied in DuckDB, like the counts, so no Flink state holds them; the nowcast reads the
 * triangle there. Events without a report time (read from a checkpoint older than that field) are left out.
 */
public final class DelayIncrements implements FlatMapFunction<DeidentifiedEvent, TableRow> {
    private final TimeBuckets buckets;

    public DelayIncrements(TimeBuckets buckets) {
        this.buckets = buckets;
    }

    @Override
    public void flatMap(DeidentifiedEvent event, Collector<TableRow> out) {
        Long reported = event.getReportedMinute();
        if (reported == null) {
            return;
        }
        out.collect(TableRow.newBuilder().setDelay(new DelayDelta(event.getSignal(),
                buckets.day(event.getOccurredMinute()), buckets.day(reported), 1L)).build());
    }
}
