package lookout.release;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Differentially private counts for every cell of a release, suppressed or not, with discrete Laplace noise.
 * One event changes one area-day, one area-week, one area-month and the three all-areas totals above them, so
 * the release's L1 sensitivity is {@link #SENSITIVITY}: noise calibrated to it makes the whole release
 * epsilon-DP for any single event. A noisy value below k is withheld (post-processing, so still DP), so that no
 * published number looks like a count from 1 to k-1.
 */
public final class NoisyCounts {
    public static final int SENSITIVITY = 6;

    /** @param noisyCount null when the noisy value is below k */
    public record NoisyCell(String signal, Granularity granularity, LocalDate periodStart, String areaId, Long noisyCount) {
        public boolean belowK() {
            return noisyCount == null;
        }
    }

    private NoisyCounts() {}

    /** One fresh draw of noise per cell of {@code cells}, from the restricted {@code tables}. */
    public static List<NoisyCell> of(List<PublicCell> cells, Map<String, DailyCounts> tables, int k, DiscreteLaplace noise) {
        List<NoisyCell> noisy = new ArrayList<>(cells.size());
        for (PublicCell c : cells) {
            long value = noise.noisy(tables.get(c.signal()).total(c));
            noisy.add(new NoisyCell(c.signal(), c.granularity(), c.periodStart(), c.areaId(), value < k ? null : value));
        }
        return noisy;
    }
}
