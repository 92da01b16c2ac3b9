package lookout.detect;

import java.time.DayOfWeek;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * The expected daily count of one area and signal: a Poisson log-linear model of the trailing days with a
 * day-of-week profile, a linear trend and a yearly cycle (the last two only once a full year is available), fitted
 * by IRLS. Days that look like outbreaks are down-weighted as in Farrington's method (Anscombe residual above
 * 2.58), so a past spike does not raise the expectation much. Overdispersion is the Pearson statistic, at least 1.
 *
 * <p>A small ridge penalty keeps the day-of-week effects finite in areas with weeks of zeros.
 */
public final class SeasonalBaseline {
    static final double REWEIGHT_THRESHOLD = 2.58;
    private static final double RIDGE = 1.0;
    private static final int FULL_MODEL_DAYS = 365;

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
        int n = to - from;
        boolean seasonal = n >= FULL_MODEL_DAYS;
        int anchor = to - 1;
        int anchorDow = Math.floorMod(dowOfT.getValue() - 1 - (t - anchor), 7);
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
        double phi = dispersion(x, y, w, beta);
        for (int i = 0; i < n; i++) {
            double mu = Math.exp(dot(x[i], beta));
            double anscombe = 1.5 * (Math.pow(y[i], 2.0 / 3) - Math.pow(mu, 2.0 / 3)) / Math.pow(mu, 1.0 / 6);
            double s = anscombe / Math.sqrt(phi);
            w[i] = s > REWEIGHT_THRESHOLD ? 1 / (s * s) : 1;
        }
        beta = irls(x, y, w);
        return new SeasonalBaseline(beta, seasonal, anchor, anchorDow, dispersion(x, y, w, beta));
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
        double[] beta = new double[p];
        beta[0] = Math.log(Math.max(sy / sw, 0.05));
        for (int iter = 0; iter < 25; iter++) {
            double[][] a = new double[p][p];
            double[] b = new double[p];
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

    private static double dispersion(double[][] x, double[] y, double[] w, double[] beta) {
        double pearson = 0;
        double sw = 0;
        for (int i = 0; i < y.length; i++) {
            double mu = Math.exp(dot(x[i], beta));
            pearson += w[i] * (y[i] - mu) * (y[i] - mu) / mu;
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
