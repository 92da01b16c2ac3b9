package lookout.aggregate;

import java.io.Serializable;

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

    void add(CountedEvent event, Cells out) {
        long reported = event.reportedMinute();
        if (reported == CountedEvent.NOT_REPORTED) {
            return;
        }
        out.delay(event.signal(), buckets.localDay(event.occurredMinute()), buckets.localDay(reported));
    }
}
