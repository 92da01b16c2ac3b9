package lookout.aggregate;

import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import lookout.schema.CountDelta;
import lookout.schema.DelayDelta;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

/**
 * The combiner's cells and their sums, in the order first counted. A cell is two longs ({@link CellSums}): its kind and
 * the numbers of its names ({@link NameIndex}) in one, its time in the other, so adding to a cell allocates nothing
 * and the sink's rows are made once per cell when the sums are let go ({@link #drain}). Hourly cells are held apart
 * so that they can leave on their own ({@link #drainHours}). Names are numbered afresh after each full drain, so
 * their numbers stay small however long a stream runs; a kind of 0 to 3 in the top bits keeps
 * a cell from being {@link CellSums#EMPTY}.
 */
final class SummedCells implements Cells {
    /** The kinds of cell, in a cell's top bits. */
    private static final int COUNT_HOUR = 0;
    private static final int COUNT_DAY = 1;
    private static final int DELAY = 2;
    private static final int SUBSTANCE = 3;
    private static final int KIND_SHIFT = 60;
    /** Below the kind, two name numbers of {@link NameIndex#LIMIT} each: the upper one, then the lower one. */
    private static final int NAME_BITS = 30;
    private static final long NAME_MASK = (1L << NAME_BITS) - 1;

    private final UnaryOperator<String> watchEntry;
    private final NameIndex areas = new NameIndex();
    private final NameIndex signals = new NameIndex();
    /** Substances; a substance cell holds one more than its substance's number, 0 for the samples checked. */
    private final NameIndex substances = new NameIndex();
    /** Hourly counts: one event per cell, mostly, in a year of a city. */
    private final CellSums hours = new CellSums();
    /** Daily counts, reporting delays and substances by week: many events per cell, and as many cells as areas × days. */
    private final CellSums coarse = new CellSums();

    /** @param watchEntry the watch-list entry of a substance, or null: written beside the substance's counts */
    SummedCells(UnaryOperator<String> watchEntry) {
        this.watchEntry = watchEntry;
    }

    @Override
    public void count(String granularity, long bucketStart, String areaId, String signal) {
        int kind;
        if (TimeBuckets.HOUR.equals(granularity)) {
            kind = COUNT_HOUR;
        } else if (TimeBuckets.DAY.equals(granularity)) {
            kind = COUNT_DAY;
        } else {
            throw new IllegalArgumentException("no count cells of granularity " + granularity);
        }
        (kind == COUNT_HOUR ? hours : coarse).add(cell(kind, signals.numberOf(signal), areas.numberOf(areaId)),
                bucketStart, 1);
    }

    @Override
    public void delay(String signal, long occurredDay, long reportedDay) {
        // Four-digit years (see lookout.ingest.TimeWindow) are a few million days from the epoch at most.
        long days = (long) Math.toIntExact(occurredDay) << 32 | (Math.toIntExact(reportedDay) & 0xFFFF_FFFFL);
        coarse.add(cell(DELAY, signals.numberOf(signal), 0), days, 1);
    }

    @Override
    public void substance(String areaId, long weekStart, String substance) {
        long found = substance == null ? 0 : substances.numberOf(substance) + 1L;
        coarse.add(cell(SUBSTANCE, found, areas.numberOf(areaId)), weekStart, 1);
    }

    private static long cell(int kind, long upper, long lower) {
        return (long) kind << KIND_SHIFT | upper << NAME_BITS | lower;
    }

    /** The hourly count cells held. */
    int hourCells() {
        return hours.size();
    }

    /** The other cells held. */
    int coarseCells() {
        return coarse.size();
    }

    /** Hands {@code out} each hourly cell's row with its sum, in the order first counted; keeps the other cells. */
    void drainHours(Consumer<TableRow> out) {
        drain(hours, out);
    }

    /** Hands {@code out} each cell's row with its sum, hourly cells first, in the order first counted; then holds none. */
    void drain(Consumer<TableRow> out) {
        drain(hours, out);
        drain(coarse, out);
        areas.clear();
        signals.clear();
        substances.clear();
    }

    private void drain(CellSums sums, Consumer<TableRow> out) {
        for (int i = 0; i < sums.size(); i++) {
            out.accept(row(sums.hi(i), sums.lo(i), sums.sum(i)));
        }
        sums.clear();
    }

    private TableRow row(long cell, long time, long sum) {
        int upper = (int) (cell >>> NAME_BITS & NAME_MASK);
        int lower = (int) (cell & NAME_MASK);
        // A TableRow made without its builder has every field null, which is every field's default.
        TableRow row = new TableRow();
        switch ((int) (cell >>> KIND_SHIFT)) {
            case COUNT_HOUR -> row.setCount(new CountDelta(TimeBuckets.HOUR, time, areas.name(lower),
                    signals.name(upper), sum));
            case COUNT_DAY -> row.setCount(new CountDelta(TimeBuckets.DAY, time, areas.name(lower),
                    signals.name(upper), sum));
            case DELAY -> row.setDelay(new DelayDelta(signals.name(upper), TimeBuckets.isoDate((int) (time >> 32)),
                    TimeBuckets.isoDate((int) time), sum));
            case SUBSTANCE -> {
                String substance = upper == 0 ? null : substances.name(upper - 1);
                row.setSubstance(new SubstanceDelta(areas.name(lower), TimeBuckets.isoDate(time), substance,
                        substance == null ? null : watchEntry.apply(substance), sum));
            }
        }
        return row;
    }
}
