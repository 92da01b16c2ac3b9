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
        List<Cluster> candidates = new ArrayList<>();
        for (int z = 0; z < zones.count(); z++) {
            int[] members = zones.members(z);
            Cluster best = null;
            for (int w = 1; w <= MAX_WINDOW; w++) {
                int c = 0;
                double e = 0;
                int raised = 0;
                for (int a : members) {
                    c += cumObserved[a][w];
                    e += cumExpected[a][w];
                    raised += cumObserved[a][w] > cumExpected[a][w] ? 1 : 0;
                }
                double ratio = llr(c, e);
                if (raised >= MIN_RAISED && ratio > h && (best == null || ratio > best.llr())) {
                    best = new Cluster(members.clone(), w, c, e, ratio);
                }
            }
            if (best != null) {
                candidates.add(best);
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
}
