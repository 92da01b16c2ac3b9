package lookout.aggregate;

import java.io.Serializable;
import java.util.LinkedHashSet;
import java.util.List;

import lookout.kernel.Signal;

/**
 * Each drug-checking sample adds one to its area and week's samples checked, and one to the cell of each substance
 * found in it (once per sample, however many times the result lists it). Substances are already vocabulary terms
 * (ingest maps every name), so no free text reaches the table. Like {@link CountIncrements} it keeps no state: the
 * increments are added in DuckDB, so a backfill and a stream give the same table.
 */
public final class SubstanceIncrements implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The watch list as this layer sees it (the detection layer owns it): a substance's entry, or null. */
    public interface WatchList extends Serializable {
        String entryOf(String substance);
    }

    private final TimeBuckets buckets;
    private final WatchList watch;

    public SubstanceIncrements(TimeBuckets buckets, WatchList watch) {
        this.buckets = buckets;
        this.watch = watch;
    }

    void add(CountedEvent event, Cells out) {
        if (!event.is(Signal.DRUG_CHECKING)) {
            return;
        }
        long week = buckets.weekStartDay(event.occurredMinute());
        out.substance(event.area(), week, null);
        List<String> found = event.substances();
        // Most samples list one substance or none: only a longer list can repeat one.
        for (String substance : found.size() < 2 ? found : new LinkedHashSet<>(found)) {
            out.substance(event.area(), week, substance);
        }
    }

    /** The watch-list entry {@code substance} belongs to, or null: written beside the substance's counts. */
    String watchEntry(String substance) {
        return watch.entryOf(substance);
    }
}
