package lookout.aggregate;

import java.io.Serializable;
import java.util.LinkedHashSet;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

/**
 * Each drug-checking sample adds one to its area and week's samples checked, and one to the cell of each substance
 * found in it (once per sample, however many times the result lists it). Substances are already vocabulary terms
 * (ingest maps every name), so no free text reaches the table. Like {@link CountIncrements} it keeps no state: the
 * increments are added in DuckDB, so a backfill and a stream give the same table.
 */
public final class SubstanceIncrements implements FlatMapFunction<DeidentifiedEvent, TableRow> {
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

    @Override
    public void flatMap(DeidentifiedEvent event, Collector<TableRow> out) {
        if (!Signal.DRUG_CHECKING.is(event.getSignal())) {
            return;
        }
        String week = buckets.weekStart(event.getOccurredMinute());
        out.collect(row(event.getAreaId(), week, null, null));
        for (String substance : new LinkedHashSet<>(event.getSubstances())) {
            out.collect(row(event.getAreaId(), week, substance, watch.entryOf(substance)));
        }
    }

    private static TableRow row(String areaId, String week, String substance, String watchEntry) {
        return TableRow.newBuilder().setSubstance(new SubstanceDelta(areaId, week, substance, watchEntry, 1L)).build();
    }
}
