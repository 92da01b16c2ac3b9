package lookout.detect;

import java.util.Arrays;

/**
 * One source's reporting-delay distribution, estimated from its reporting triangle: reports counted by the day
 * the event occurred and the day it was reported, for the occurrence days of a trailing window ending on the
 * latest day reports are in for (the as-of day). Recent days are right-truncated (their late reports have not
 * come yet), so the share reported by delay d is not the share of reports seen with delay d; the reverse-time
 * (chain-ladder) estimate corrects for it (Lawless 1994; Höhle and an der Heiden 2014, as in the R
 * {@code surveillance} package's {@code nowcast}): for each delay d, from the longest down, the hazard
 * g(d) = P(delay = d | delay ≤ d) is estimated from the occurrence days old enough to have reports of delay d,
 * and F(d - 1) = F(d) (1 - g(d)), with F(maxDelay) = 1.
 *
 * <p>Reports later than {@code maxDelay} days count as reported on day {@code maxDelay}: the estimate assumes
 * that all reports are in by then. State is one count per (age, delay) cell of the window: bounded by window ×
 * delays, never by events.
 */
public final class ReportingDelays {
    /** Reports later than this many days count as made on that day: every report is assumed in by then. */
    public static final int MAX_DELAY_DAYS = 91;
    /** Occurrence days the delays are estimated from, ending on the as-of day. */
    public static final int WINDOW_DAYS = 182;

    private final int maxDelay;
    private final int windowDays;
    /** cells[age][delay]: reports of events that occurred {@code age} days before the as-of day. */
    private final long[][] cells;

    /**
     * @param maxDelay the longest delay told apart, in days; later reports count as this
     * @param windowDays the occurrence days estimated from: the as-of day and the {@code windowDays - 1} before it
     */
    public ReportingDelays(int maxDelay, int windowDays) {
        if (maxDelay < 0 || windowDays <= maxDelay) {
            throw new IllegalArgumentException("the window (" + windowDays + " days) must be longer than the longest delay ("
                    + maxDelay + " days)");
        }
        this.maxDelay = maxDelay;
        this.windowDays = windowDays;
        this.cells = new long[windowDays][maxDelay + 1];
    }

    public int maxDelay() {
        return maxDelay;
    }

    public int windowDays() {
        return windowDays;
    }

    /**
     * Adds {@code reports} of events that occurred {@code age} days before the as-of day and were reported
     * {@code delay} days after they occurred. Events older than the window are ignored.
     */
    public void add(int age, int delay, long reports) {
        if (age < 0 || delay < 0 || delay > age) {
            throw new IllegalArgumentException("a report " + delay + " days late of an event " + age
                    + " days before the as-of day lies after the as-of day");
        }
        if (age < windowDays) {
            cells[age][Math.min(delay, maxDelay)] += reports;
        }
    }

    /** Reports in the window. */
    public long total() {
        return Arrays.stream(cells).flatMapToLong(Arrays::stream).sum();
    }

    /**
     * The estimated cumulative share F(d) of an occurrence day's reports that are in within {@code d} days, for
     * d = 0 .. maxDelay; 1 from {@code maxDelay} on. A delay never seen among the days able to show it has hazard 0.
     */
    public double[] shareReported() {
        double[] share = new double[maxDelay + 1];
        share[maxDelay] = 1;
        for (int d = maxDelay; d >= 1; d--) {
            long atD = 0;
            long byD = 0;
            for (int age = d; age < windowDays; age++) {
                atD += cells[age][d];
                for (int j = 0; j <= d; j++) {
                    byD += cells[age][j];
                }
            }
            double hazard = byD == 0 ? 0 : (double) atD / byD;
            share[d - 1] = share[d] * (1 - hazard);
        }
        return share;
    }
}
