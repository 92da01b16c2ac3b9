package lookout.detect;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * A prospective space-time scan in the spirit of Kulldorff's (SaTScan): every candidate zone ({@link ScanZones})
 * and every window of the last 1..{@link #MAX_WINDOW} days ending today is a cylinder; for each, C cases were
 * observed where the areas' baselines expected E. The statistic is the Poisson log likelihood ratio of "the rate
 * in the cylinder is raised" against "every area has its usual rate", C ln(C/E) - (C - E) when C > E, else 0 (the
 * expectation-based Poisson scan: the expectations come from each area's fitted baseline, not from the city's
 * total). A cylinder whose ratio exceeds the threshold {@code h}, with at least {@link #MIN_RAISED} of its areas
 * above their own expectation, is a cluster. The threshold is calibrated on null
 * data (docs/DETECTION.md, "Clusters that cross neighbourhood borders"): the ratio's largest value over all
 * cylinders of a quiet day has no closed form at these low counts, so it is measured.
 *
 * <p>Stateless: the caller passes each area's counts and expectations for the last days.
 */
public final class SpaceTimeScan implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int MAX_WINDOW = 7;
    public static final String METHOD = "scan_cluster";
    /**
     * Areas of a cylinder that must each have seen more than expected: a cluster crosses a border. Without it, one
     * area's spike (the per-area detectors' job) plus a neighbour's ordinary day would be a "cluster" too.
     */
    public static final int MIN_RAISED = 2;

    private final ScanZones zones;
    private final double h;

    /**
     * One significant cylinder.
     *
     * @param areas    area indices of the zone (centre first)
     * @param days     the window's length, ending today
     * @param observed cases in the zone over the window
     * @param expected cases its areas' baselines expected
     * @param llr      the log likelihood ratio
     */
    public record Cluster(int[] areas, int days, int observed, double expected, double llr) {
        boolean overlaps(int[] others) {
            for (int a : areas) {
                for (int b : others) {
                    if (a == b) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    public SpaceTimeScan(ScanZones zones, double h) {
        if (!(h > 0)) {
            throw new IllegalArgumentException("the scan's threshold must be positive");
        }
        this.zones = zones;
        this.h = h;
    }

    public ScanZones zones() {
        return zones;
    }

    public double threshold() {
        return h;
    }

    /** The Poisson log likelihood ratio of C cases where E were expected; 0 unless C exceeds E. */
    public static double llr(int c, double e) {
        if (c <= e) {
            return 0;
        }
        return c * Math.log(c / e) - (c - e);
    }

    /**
     * The clusters of today: the most likely cylinder if it exceeds the threshold, then every further one above
     * it that shares no area with a cluster already taken (SaTScan's non-overlapping secondary clusters), the most
     * likely first.
     *
     * @param observed observed[a][j]: cases in area a on the day j days before today (j = 0 is today)
     * @param expected expected[a][j]: the cases area a's baseline expected that day
     */
    public List<Cluster> clusters(int[][] observed, double[][] expected) {
        int n = zones.areas().size();
        int[][] cumObserved = new int[n][MAX_WINDOW + 1];
        double[][] cumExpected = new double[n][MAX_WINDOW + 1];
        for (int a = 0; a < n; a++) {
            for (int j = 0; j < MAX_WINDOW; j++) {
                cumObserved[a][j + 1] = cumObserved[a][j] + observed[a][j];
                cumExpected[a][j + 1] = cumExpected[a][j] + expected[a][j];
            }
        }
        int count = zones.count();
        Window window = new Window(count);
        double[] bestRatio = new double[count];
        int[] bestDays = new int[count];
        int[] bestObserved = new int[count];
        double[] bestExpected = new double[count];
        for (int w = 1; w <= MAX_WINDOW; w++) {
            for (int z = 0; z < count; z++) {
                window.sum(z, w, cumObserved, cumExpected);
                double ratio = llr(window.observed[z], window.expected[z]);
                if (window.raised[z] >= MIN_RAISED && ratio > h && ratio > bestRatio[z]) {
                    bestRatio[z] = ratio;
                    bestDays[z] = w;
                    bestObserved[z] = window.observed[z];
                    bestExpected[z] = window.expected[z];
                }
            }
        }
        List<Cluster> candidates = new ArrayList<>();
        for (int z = 0; z < count; z++) {
            if (bestDays[z] > 0) {
                candidates.add(new Cluster(zones.members(z).clone(), bestDays[z], bestObserved[z], bestExpected[z],
                        bestRatio[z]));
            }
        }
        candidates.sort(Comparator.comparingDouble(Cluster::llr).reversed()
                .thenComparing(c -> Arrays.toString(c.areas())));
        List<Cluster> taken = new ArrayList<>();
        for (Cluster c : candidates) {
            if (taken.stream().noneMatch(t -> t.overlaps(c.areas()))) {
                taken.add(c);
            }
        }
        return taken;
    }

    /**
     * Every zone's cases, expectation and raised areas over one window. A zone with a {@link ScanZones#smaller} zone
     * is that zone's sums plus its added area's, which the loop over zones in order has just computed for the same
     * window: one area's values per zone instead of all its areas'. The scan judges tens of thousands of zones a day.
     */
    private final class Window {
        final int[] observed;
        final double[] expected;
        final int[] raised;

        Window(int count) {
            observed = new int[count];
            expected = new double[count];
            raised = new int[count];
        }

        void sum(int z, int w, int[][] cumObserved, double[][] cumExpected) {
            int smaller = zones.smaller(z);
            if (smaller == ScanZones.NONE) {
                int c = 0;
                double e = 0;
                int r = 0;
                for (int a : zones.members(z)) {
                    c += cumObserved[a][w];
                    e += cumExpected[a][w];
                    r += cumObserved[a][w] > cumExpected[a][w] ? 1 : 0;
                }
                observed[z] = c;
                expected[z] = e;
                raised[z] = r;
                return;
            }
            int a = zones.added(z);
            observed[z] = observed[smaller] + cumObserved[a][w];
            expected[z] = expected[smaller] + cumExpected[a][w];
            raised[z] = raised[smaller] + (cumObserved[a][w] > cumExpected[a][w] ? 1 : 0);
        }
    }
}
