package lookout.release;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An attacker holding two public releases of the same signal and nothing else, written independently of the
 * suppressor. Unlike {@link DisclosureAuditor} it does not know what was revised between them; it knows only that
 * late reports add events, so revisions are non-negative. The unknowns are the earlier release's area-day counts
 * y1 >= 0 and the revisions r >= 0 since, so the later counts are y1 + r. Every published cell of the earlier
 * release is an equation on y1, every published cell of the later one an equation on y1 + r. For every cell
 * suppressed in the later release it solves linear programmes and reports the cell when
 * <ul>
 *   <li>the revision of its suppressed area-days cannot be zero (the smallest r summed over the area-days of the
 *       cell whose day cell is suppressed is above 0): the two releases show that events were added where
 *       nothing is published, so the cell holds at least one (a revision of the cell's published area-days is
 *       published anyway);</li>
 *   <li>or its value in either release lies in an interval narrower than 1: it is pinned down.</li>
 * </ul>
 * Over real numbers the feasible set only grows compared with whole numbers, so every report is a real leak. For
 * the first check the converse holds on Lookout's releases too: no revision at all in the suppressed area-days is
 * itself a whole-number solution.
 */
final class DifferencingAuditor {
    private final List<String> areas;
    private final LocalDate first;
    private final int days;
    private final int n;
    private final List<double[]> equations = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();
    private final Map<String, PublicCell> earlier = new HashMap<>();
    private final List<PublicCell> laterSuppressed = new ArrayList<>();
    private final boolean[] suppressedAreaDay;

    /** @param areas and {@code first..last}: the later release's grid (it may extend the earlier one's) */
    DifferencingAuditor(List<String> areas, LocalDate first, LocalDate last) {
        this.areas = areas;
        this.first = first;
        this.days = (int) ChronoUnit.DAYS.between(first, last) + 1;
        this.n = areas.size() * days;
        this.suppressedAreaDay = new boolean[n];
    }

    void addEarlier(List<PublicCell> cells) {
        for (PublicCell c : cells) {
            earlier.put(id(c), c);
            if (!c.suppressed()) {
                equations.add(concat(indicator(c), new double[n]));
                values.add((double) c.count());
            }
        }
    }

    void addLater(List<PublicCell> cells) {
        for (PublicCell c : cells) {
            if (c.suppressed()) {
                laterSuppressed.add(c);
                if (c.granularity() == Granularity.DAY && !c.areaId().equals(PublicCell.ALL_AREAS)) {
                    double[] row = indicator(c);
                    for (int i = 0; i < n; i++) {
                        suppressedAreaDay[i] |= row[i] == 1;
                    }
                }
            } else {
                double[] row = indicator(c);
                equations.add(concat(row, row));
                values.add((double) c.count());
            }
        }
    }

    /** One line per leak; empty when both releases together pin nothing and show no suppressed cell changed. */
    List<String> disclosures() {
        SimplexLp lp = new SimplexLp(2 * n);
        for (int i = 0; i < equations.size(); i++) {
            lp.equal(equations.get(i), values.get(i));
        }
        List<String> leaks = new ArrayList<>();
        for (PublicCell c : laterSuppressed) {
            double[] row = indicator(c);
            double[] zero = new double[n];
            PublicCell before = earlier.get(id(c));
            if (before != null && before.suppressed()) {
                double[] hidden = new double[n];
                for (int i = 0; i < n; i++) {
                    hidden[i] = suppressedAreaDay[i] ? row[i] : 0;
                }
                double leastRevision = -lp.maximise(concat(zero, negate(hidden)));
                if (leastRevision > 1e-6) {
                    leaks.add(id(c) + " revised by at least " + leastRevision);
                }
                double[] earlierValue = concat(row, zero);
                double width = lp.maximise(earlierValue) + lp.maximise(negate(earlierValue));
                if (width < 1 - 1e-6) {
                    leaks.add(id(c) + " pinned in the earlier release");
                }
            }
            double[] laterValue = concat(row, row);
            double width = lp.maximise(laterValue) + lp.maximise(negate(laterValue));
            if (width < 1 - 1e-6) {
                leaks.add(id(c) + " pinned in the later release");
            }
        }
        return leaks;
    }

    private static String id(PublicCell c) {
        return c.signal() + " " + c.granularity().code() + " " + c.periodStart() + " " + c.areaId();
    }

    private double[] indicator(PublicCell c) {
        return DisclosureAuditor.indicator(c, areas, first, days);
    }

    private static double[] concat(double[] a, double[] b) {
        double[] r = new double[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static double[] negate(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = -a[i];
        }
        return r;
    }
}
