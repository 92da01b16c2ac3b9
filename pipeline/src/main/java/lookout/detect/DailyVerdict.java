package lookout.detect;

/**
 * One detector's judgement of one day (or one trailing window) of counts.
 *
 * @param observed   the count judged
 * @param expected   the detector's baseline expectation for it; NaN when the method has none
 * @param upperbound the largest count that would not alarm (the package's {@code upperbound}); NaN is R's NA
 * @param alarm      {@code observed > upperbound}; false when the upper bound is NA, as the benchmark scores NA
 * @param score      how far past the threshold, in method units (z, -log10 p, ...); NaN when undefined
 */
public record DailyVerdict(int observed, double expected, double upperbound, boolean alarm, double score) {

    /** R reports NA for both bound and alarm when the baseline is degenerate (C3 with a zero sd). */
    public boolean defined() {
        return !Double.isNaN(upperbound);
    }
}
