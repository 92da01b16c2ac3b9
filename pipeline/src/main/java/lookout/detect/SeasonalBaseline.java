package lookout.detect;

import java.time.DayOfWeek;
import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * The expected daily count of one area and signal: a Poisson log-linear model of the trailing days with a
 * day-of-week profile, a linear trend and a yearly cycle (the last two only once a full year is available), fitted
 * by IRLS. Days that look like outbreaks are down-weighted as in Farrington's method (Anscombe residual above
 * 2.58), so a past spike does not raise the expectation much. Overdispersion is the Pearson statistic, at least 1.
 * The dispersion that judges which days look like outbreaks caps each day's Pearson term at {@link #CAP} times
 * itself, so that a few wild days cannot hide themselves; the dispersion of the reweighted fit is uncapped.
 *
 * <p>A small ridge penalty keeps the day-of-week effects finite in areas with weeks of zeros.
 *
 * <p>Under a year of days (the model without trend and cycle, the one a year-long backfill fits every day) every day
 * of a weekday has the same expectation, so the fit needs only, per weekday, how many days had each count
 * ({@link WeekdayCounts}): the sums IRLS, the reweighting and the dispersion make over days are sums over those
 * few distinct counts instead. It is the same model and the same fit, summed in another order; a year of days costs
 * one pass to count them, then work in proportion to the distinct counts, not the days. The full model's days each
 * have their own expectation and are fitted day by day.
 */
public final class SeasonalBaseline {
    static final double REWEIGHT_THRESHOLD = 2.58;
    private static final double RIDGE = 1.0;
    private static final int FULL_MODEL_DAYS = 365;
    /**
     * A day's term in the first fit's Pearson statistic counts at most this many times the dispersion (8 usual
     * standard deviations squared): one burst cannot make the dispersion that judges it ordinary.
     */
    static final double CAP = 64;
    /** The capped statistic falls towards its fixed point; a handful of steps reaches it, this bounds the worst. */
    private static final int MAX_CAP_STEPS = 100;

    private final double[] beta;
    private final boolean seasonal;
    private final int anchor;
    private final int anchorDow;
    private final double phi;

    private SeasonalBaseline(double[] beta, boolean seasonal, int anchor, int anchorDow, double phi) {
        this.beta = beta;
        this.seasonal = seasonal;
        this.anchor = anchor;
        this.anchorDow = anchorDow;
        this.phi = phi;
    }

    /** The last fit per thread: several settings of one detector judge the same day from the same history. */
    private static final ThreadLocal<Object[]> LAST = new ThreadLocal<>();

    /**
     * Fits days {@code [from, to)} of {@code counts}; {@code dowOfT} is the weekday of index {@code t}, from which
     * every other index's weekday follows. Callers never rewrite days already written, so a repeated call with the
     * same array, range and day reuses the previous fit.
     */
    public static SeasonalBaseline fit(int[] counts, int from, int to, int t, DayOfWeek dowOfT) {
        Object[] last = LAST.get();
        if (last != null && last[0] == counts && (int) last[1] == from && (int) last[2] == to && (int) last[3] == t
                && last[4] == dowOfT) {
            return (SeasonalBaseline) last[5];
        }
        SeasonalBaseline fitted = compute(counts, from, to, t, dowOfT);
        LAST.set(new Object[] {counts, from, to, t, dowOfT, fitted});
        return fitted;
    }

    private static SeasonalBaseline compute(int[] counts, int from, int to, int t, DayOfWeek dowOfT) {
        return to - from >= FULL_MODEL_DAYS ? byDay(counts, from, to, t, dowOfT)
                : byWeekday(counts, from, to, t, dowOfT);
    }

    /** The anchor's weekday index (0 = the intercept's weekday) given the weekday of day {@code t}. */
    private static int anchorDow(int anchor, int t, DayOfWeek dowOfT) {
        return Math.floorMod(dowOfT.getValue() - 1 - (t - anchor), 7);
    }

    /**
     * The fit over every day, the full model's; also how the model without trend and cycle was fitted before it
     * was fitted by weekday, kept callable as the reference for its tests and benchmark.
     */
    public static SeasonalBaseline byDay(int[] counts, int from, int to, int t, DayOfWeek dowOfT) {
        int n = to - from;
        boolean seasonal = n >= FULL_MODEL_DAYS;
        int anchor = to - 1;
        int anchorDow = anchorDow(anchor, t, dowOfT);
        SeasonalBaseline shape = new SeasonalBaseline(null, seasonal, anchor, anchorDow, 1);
        double[][] x = new double[n][];
        double[] y = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = shape.covariates(from + i);
            y[i] = counts[from + i];
            w[i] = 1;
        }
        double[] beta = irls(x, y, w);
        double[] first = beta;
        double phi = outlierDispersion(cap -> dispersion(x, y, w, first, cap));
        for (int i = 0; i < n; i++) {
            double mu = Math.exp(dot(x[i], beta));
            w[i] = reweight(y[i], mu, phi);
        }
        beta = irls(x, y, w);
        return new SeasonalBaseline(beta, seasonal, anchor, anchorDow,
                dispersion(x, y, w, beta, Double.POSITIVE_INFINITY));
    }

    /**
     * The dispersion the reweighting judges outliers by: the first fit's Pearson statistic with each day's term
     * capped at {@link #CAP} times the dispersion itself, the largest such fixed point (iterated down from the
     * uncapped statistic, which it is wherever no day is that far out). Uncapped, a quiet area's one day of 13
     * events inflated the dispersion so much that the day itself no longer looked unusual, was not down-weighted,
     * and the heavy tail it left explained every later count. {@code capped} gives the statistic with every term
     * capped at its argument.
     */
    private static double outlierDispersion(DoubleUnaryOperator capped) {
        double phi = capped.applyAsDouble(Double.POSITIVE_INFINITY);
        for (int i = 0; i < MAX_CAP_STEPS; i++) {
            double next = capped.applyAsDouble(CAP * phi);
            if (next >= phi * (1 - 1e-12)) {
                return next;
            }
            phi = next;
        }
        return phi;
    }

    /** Farrington's weight of a day with count y where mu was expected: 1, or less when it looks like an outbreak. */
    private static double reweight(double y, double mu, double phi) {
        double anscombe = 1.5 * (Math.pow(y, 2.0 / 3) - Math.pow(mu, 2.0 / 3)) / Math.pow(mu, 1.0 / 6);
        double s = anscombe / Math.sqrt(phi);
        return s > REWEIGHT_THRESHOLD ? 1 / (s * s) : 1;
    }

    /** The model without trend and cycle fitted from each weekday's distinct counts ({@link WeekdayCounts}). */
    private static SeasonalBaseline byWeekday(int[] counts, int from, int to, int t, DayOfWeek dowOfT) {
        int anchor = to - 1;
        int anchorDow = anchorDow(anchor, t, dowOfT);
        WeekdayCounts days = WeekdayCounts.of(counts, from, to, d -> Math.floorMod(anchorDow + (d - anchor), 7));
        double[][] w = days.unitWeights();
        double[] beta = days.irls(w);
        double[] first = beta;
        double phi = outlierDispersion(cap -> days.dispersion(w, first, cap));
        for (int g = 0; g < 7; g++) {
            double mu = Math.exp(dot(WeekdayCounts.covariates(g), beta));
            for (int v = 0; v < days.values[g].length; v++) {
                w[g][v] = reweight(days.values[g][v], mu, phi);
            }
        }
        beta = days.irls(w);
        return new SeasonalBaseline(beta, false, anchor, anchorDow, days.dispersion(w, beta, Double.POSITIVE_INFINITY));
    }

    /**
     * Per weekday index g (0 = the intercept's weekday), the distinct counts seen on its days ({@code values[g]})
     * and on how many days each ({@code days[g]}). A weight is per weekday and distinct count: the reweighting
     * gives every day of a weekday with the same count the same weight.
     */
    private static final class WeekdayCounts {
        final int[][] values = new int[7][];
        final int[][] days = new int[7][];

        static WeekdayCounts of(int[] counts, int from, int to, java.util.function.IntUnaryOperator weekday) {
            int[][] byWeekday = new int[7][];
            int[] size = new int[7];
            for (int g = 0; g < 7; g++) {
                byWeekday[g] = new int[(to - from + 6) / 7];
            }
            for (int d = from; d < to; d++) {
                int g = weekday.applyAsInt(d);
                byWeekday[g][size[g]++] = counts[d];
            }
            WeekdayCounts c = new WeekdayCounts();
            for (int g = 0; g < 7; g++) {
                int[] sorted = Arrays.copyOf(byWeekday[g], size[g]);
                Arrays.sort(sorted);
                int distinct = 0;
                for (int i = 0; i < sorted.length; i++) {
                    if (i == 0 || sorted[i] != sorted[i - 1]) {
                        distinct++;
                    }
                }
                c.values[g] = new int[distinct];
                c.days[g] = new int[distinct];
                int v = -1;
                for (int i = 0; i < sorted.length; i++) {
                    if (i == 0 || sorted[i] != sorted[i - 1]) {
                        c.values[g][++v] = sorted[i];
                    }
                    c.days[g][v]++;
                }
            }
            return c;
        }

        /** The covariates of every day of weekday index g, as {@code SeasonalBaseline.covariates} gives them. */
        static double[] covariates(int g) {
            double[] c = new double[7];
            c[0] = 1;
            if (g > 0) {
                c[g] = 1;
            }
            return c;
        }

        double[][] unitWeights() {
            double[][] w = new double[7][];
            for (int g = 0; g < 7; g++) {
                w[g] = new double[values[g].length];
                Arrays.fill(w[g], 1);
            }
            return w;
        }

        /** SeasonalBaseline.irls with its sums over days taken per weekday and distinct count. */
        double[] irls(double[][] w) {
            int p = 7;
            double[] weight = new double[p];
            double[] weightedY = new double[p];
            double sy = 0;
            double sw = 0;
            for (int g = 0; g < p; g++) {
                for (int v = 0; v < values[g].length; v++) {
                    double dw = days[g][v] * w[g][v];
                    weight[g] += dw;
                    weightedY[g] += dw * values[g][v];
                }
                sy += weightedY[g];
                sw += weight[g];
            }
            return newton(p, sy / sw, (beta, a, b) -> {
                for (int g = 0; g < p; g++) {
                    double eta = dot(covariates(g), beta);
                    double mu = Math.exp(eta);
                    // over the weekday's days, the sum of w mu (1 on the diagonal of its covariates) and of
                    // w mu z = w mu eta + w (y - mu)
                    double wmu = weight[g] * mu;
                    double wmuz = wmu * eta + (weightedY[g] - wmu);
                    a[0][0] += wmu;
                    b[0] += wmuz;
                    if (g > 0) {
                        a[0][g] += wmu;
                        a[g][0] += wmu;
                        a[g][g] += wmu;
                        b[g] += wmuz;
                    }
                }
            });
        }

        double dispersion(double[][] w, double[] beta, double cap) {
            double pearson = 0;
            double sw = 0;
            for (int g = 0; g < 7; g++) {
                double mu = Math.exp(dot(covariates(g), beta));
                for (int v = 0; v < values[g].length; v++) {
                    double dw = days[g][v] * w[g][v];
                    pearson += dw * Math.min(cap, (values[g][v] - mu) * (values[g][v] - mu) / mu);
                    sw += dw;
                }
            }
            return Math.max(1, pearson / (sw - beta.length));
        }
    }

    /** Expected count on day index {@code i} (the fit extrapolates forward from its last day). */
    public double mean(int i) {
        return Math.exp(dot(covariates(i), beta));
    }

    /** Variance over mean; 1 is Poisson. */
    public double phi() {
        return phi;
    }

    private double[] covariates(int i) {
        double[] c = new double[seasonal ? 10 : 7];
        c[0] = 1;
        int dow = Math.floorMod(anchorDow + (i - anchor), 7);
        if (dow > 0) {
            c[dow] = 1;
        }
        if (seasonal) {
            c[7] = (i - anchor) / 365.0;
            double angle = 2 * Math.PI * (i - anchor) / 365.25;
            c[8] = Math.sin(angle);
            c[9] = Math.cos(angle);
        }
        return c;
    }

    private static double[] irls(double[][] x, double[] y, double[] w) {
        int p = x[0].length;
        double sy = 0;
        double sw = 0;
        for (int i = 0; i < y.length; i++) {
            sy += w[i] * y[i];
            sw += w[i];
        }
        return newton(p, sy / sw, (beta, a, b) -> {
            for (int i = 0; i < y.length; i++) {
                double eta = dot(x[i], beta);
                double mu = Math.exp(eta);
                double z = eta + (y[i] - mu) / mu;
                double wi = w[i] * mu;
                for (int j = 0; j < p; j++) {
                    if (x[i][j] == 0) {
                        continue;
                    }
                    double xw = x[i][j] * wi;
                    b[j] += xw * z;
                    for (int k = 0; k < p; k++) {
                        a[j][k] += xw * x[i][k];
                    }
                }
            }
        });
    }

    /** Adds the weighted least squares sums of one IRLS step at {@code beta} to {@code a} (X'WX) and {@code b} (X'Wz). */
    private interface NormalEquations {
        void add(double[] beta, double[][] a, double[] b);
    }

    /**
     * IRLS from the intercept at the log of the weighted mean count (at least 0.05) and no other effect: the
     * normal equations plus the ridge, solved until no coefficient moves by 1e-8, at most 25 steps.
     */
    private static double[] newton(int p, double weightedMean, NormalEquations sums) {
        double[] beta = new double[p];
        beta[0] = Math.log(Math.max(weightedMean, 0.05));
        for (int iter = 0; iter < 25; iter++) {
            double[][] a = new double[p][p];
            double[] b = new double[p];
            sums.add(beta, a, b);
            for (int j = 1; j < p; j++) {
                a[j][j] += RIDGE;
            }
            RealVector next = new LUDecomposition(new Array2DRowRealMatrix(a, false)).getSolver()
                    .solve(new ArrayRealVector(b, false));
            double change = 0;
            for (int j = 0; j < p; j++) {
                change = Math.max(change, Math.abs(next.getEntry(j) - beta[j]));
                beta[j] = next.getEntry(j);
            }
            if (change < 1e-8) {
                break;
            }
        }
        return beta;
    }

    private static double dispersion(double[][] x, double[] y, double[] w, double[] beta, double cap) {
        double pearson = 0;
        double sw = 0;
        for (int i = 0; i < y.length; i++) {
            double mu = Math.exp(dot(x[i], beta));
            pearson += w[i] * Math.min(cap, (y[i] - mu) * (y[i] - mu) / mu);
            sw += w[i];
        }
        return Math.max(1, pearson / (sw - beta.length));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
