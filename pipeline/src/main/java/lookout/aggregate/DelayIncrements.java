package lookout.aggregate;

import java.io.Serializable;

import lookout.schema.DeidentifiedEvent;

/**
 * Each event adds one to its signal's reporting-triangle cell: the local day it occurred by the local day it was
 * reported. Increments applied in DuckDB, like the counts, so no Flink state holds them; the nowcast reads the
 * triangle there. Events without a report time (read from a checkpoint older than that field) are left out.
 */
public final class DelayIncrements implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TimeBuckets buckets;

    public DelayIncrements(TimeBuckets buckets) {
        this.buckets = buckets;
    }

    void add(DeidentifiedEvent event, Cells out) {
        Long reported = event.getReportedMinute();
        if (reported == null) {
            return;
        }
        out.delay(event.getSignal(), buckets.localDay(event.getOccurredMinute()), buckets.localDay(reported));
    }
}
