package lookout.release;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;


/**
 * An attacker's view of one or more public releases, written independently of the suppressor: it knows only the
 * published cells. The unknowns are the latest release's area-day counts y >= 0. Every published cell of every
 * release is an equation on y; an earlier release is read as y minus the revisions made since, and the attacker
 * is assumed to know those revisions exactly (the strongest form of "subtract the earlier release"), which also
 * gives y >= revision. For every suppressed cell the auditor solves two linear programmes, the least and the
 * greatest value of the cell over all tables consistent with everything published, and reports the cell when
 * the two are less than 1 apart: then subtraction, totals, nested windows or the revision pin it down.
 */
final class DisclosureAuditor {
    private final List<String> areas;
    private final LocalDate first;
    private final int days;
    private final List<double[]> equations = new ArrayList<>();
    private final List<Double> values = new ArrayList<>();
    private final List<PublicCell> targets = new ArrayList<>();
    private final double[] lowerBound;
    /** Per area the attacker knows, how many of its first days it knows. */
    private final java.util.Map<String, Integer> knownDays = new java.util.HashMap<>();

    /** @param areas and {@code first..last}: the latest release's grid */
    DisclosureAuditor(List<String> areas, LocalDate first, LocalDate last) {
        this.areas = areas;
        this.first = first;
        this.days = (int) ChronoUnit.DAYS.between(first, last) + 1;
        this.lowerBound = new double[areas.size() * days];
    }

    /**
     * Adds one release. {@code revisionSince[a][d]} is how much area a's count on day d grew between this release
     * and the latest one (all zero for the latest).
     */
    void addRelease(List<PublicCell> cells, long[][] revisionSince) {
        for (int i = 0; i < lowerBound.length; i++) {
            lowerBound[i] = Math.max(lowerBound[i], revisionSince[i / days][i % days]);
        }
        for (PublicCell c : cells) {
            if (c.suppressed()) {
                targets.add(c);
                continue;
            }
            double[] row = indicator(c);
            double shift = 0;
            for (int i = 0; i < row.length; i++) {
                shift += row[i] * revisionSince[i / days][i % days];
            }
            equations.add(row);
            values.add(c.count() + shift);
        }
    }

    /**
     * Makes the attacker an insider who knows {@code area}'s latest count on every day, as an outreach account
     * knows its own areas; that area's own cells are then no longer targets.
     */
    void know(String area, long[] countByDay) {
        know(area, countByDay, days);
    }

    /** The same for the area's first {@code firstDays} days only (an account that lost the area after them). */
    void know(String area, long[] countByDay, int firstDays) {
        int a = areas.indexOf(area);
        for (int d = 0; d < firstDays; d++) {
            double[] row = new double[areas.size() * days];
            row[a * days + d] = 1;
            equations.add(row);
            values.add((double) countByDay[d]);
        }
        knownDays.put(area, firstDays);
    }

    /** The suppressed cells whose value everything published pins to an interval narrower than 1. */
    List<String> recoverableCells() {
        SimplexLp lp = new SimplexLp(lowerBound.length);
        for (int i = 0; i < equations.size(); i++) {
            lp.equal(equations.get(i), values.get(i));
        }
        for (int i = 0; i < lowerBound.length; i++) {
            lp.atLeast(i, lowerBound[i]);
        }
        List<String> recovered = new ArrayList<>();
        for (PublicCell t : targets) {
            if (ChronoUnit.DAYS.between(first, t.periodEnd()) < knownDays.getOrDefault(t.areaId(), 0)) continue;
            double[] row = indicator(t);
            double max = lp.maximise(row);
            double[] negated = new double[row.length];
            for (int i = 0; i < row.length; i++) {
                negated[i] = -row[i];
            }
            double min = -lp.maximise(negated);
            if (max - min < 1 - 1e-6) {
                recovered.add(t.signal() + " " + t.granularity().code() + " " + t.periodStart() + " " + t.areaId()
                        + " in [" + min + ", " + max + "]");
            }
        }
        return recovered;
    }

    private double[] indicator(PublicCell c) {
        return indicator(c, areas, first, days);
    }

    /**
     * The area-day cells a published cell sums, as a 0/1 row over areas × days (area-major), the unknowns of both
     * auditors' linear programmes.
     */
    static double[] indicator(PublicCell c, List<String> areas, LocalDate first, int days) {
        double[] row = new double[areas.size() * days];
        int from = (int) ChronoUnit.DAYS.between(first, c.periodStart());
        int to = (int) ChronoUnit.DAYS.between(first, c.periodEnd());
        for (int a = 0; a < areas.size(); a++) {
            if (!c.areaId().equals(PublicCell.ALL_AREAS) && !c.areaId().equals(areas.get(a))) continue;
            for (int d = from; d <= to; d++) {
                row[a * days + d] = 1;
            }
        }
        return row;
    }
}
