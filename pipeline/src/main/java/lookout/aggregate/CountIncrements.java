package lookout.aggregate;

import java.io.Serializable;

/**
 * Each event adds one to its hour cell and its day cell. Counts are kept as increments applied in DuckDB, not
 * as per-bucket Flink state, so a coroner report weeks late revises its buckets however old they are.
 */
public final class CountIncrements implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TimeBuckets buckets;

    public CountIncrements(TimeBuckets buckets) {
        this.buckets = buckets;
    }

    void add(CountedEvent event, Cells out) {
        long t = event.occurredMinute();
        out.count(TimeBuckets.HOUR, buckets.hourStart(t), event.area(), event.signal());
        out.count(TimeBuckets.DAY, buckets.dayStart(t), event.area(), event.signal());
    }
}
