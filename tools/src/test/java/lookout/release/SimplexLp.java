package lookout.release;

import java.util.ArrayList;
import java.util.List;

/**
 * A small dense two-phase simplex with Bland's rule, for the disclosure audit: maximise c.y subject to A y = b
 * and y >= lower. Written here because commons-math3's SimplexSolver returned non-optimal vertices on these
 * problems (it reported min = max = 2 for x0 + x7 over sum(x) = 2, x >= 0), and an auditor that trusts a wrong
 * optimum would call every suppressed cell safe or recovered at random. Bland's rule cannot cycle; the audited
 * problems are small (a few hundred columns), so dense is fine.
 */
final class SimplexLp {
    private static final double EPS = 1e-9;

    private final int n;
    private final List<double[]> rows = new ArrayList<>();
    private final List<Double> rhs = new ArrayList<>();
    private final double[] lower;

    SimplexLp(int variables) {
        this.n = variables;
        this.lower = new double[variables];
    }

    void equal(double[] coefficients, double value) {
        rows.add(coefficients.clone());
        rhs.add(value);
    }

    void atLeast(int variable, double value) {
        lower[variable] = Math.max(lower[variable], value);
    }

    /** The maximum of {@code objective . y}, or +infinity when unbounded. */
    double maximise(double[] objective) {
        int m = rows.size();
        // Shift y = lower + z so every variable is z >= 0, and make every right-hand side non-negative.
        double[][] t = new double[m + 1][n + m + 1];
        int[] basis = new int[m];
        for (int r = 0; r < m; r++) {
            double[] a = rows.get(r);
            double b = rhs.get(r);
            for (int j = 0; j < n; j++) {
                b -= a[j] * lower[j];
            }
            double sign = b < 0 ? -1 : 1;
            for (int j = 0; j < n; j++) {
                t[r][j] = sign * a[j];
            }
            t[r][n + r] = 1;
            t[r][n + m] = sign * b;
            basis[r] = n + r;
        }
        // Phase 1: maximise -(sum of artificials); the objective row holds reduced costs to be driven <= 0.
        double[] obj = t[m];
        for (int r = 0; r < m; r++) {
            for (int j = 0; j <= n + m; j++) {
                if (j < n || j == n + m) obj[j] += t[r][j];
            }
        }
        if (!run(t, basis, n + m, m)) {
            throw new IllegalStateException("phase 1 unbounded: impossible");
        }
        if (t[m][n + m] > 1e-6) {
            throw new IllegalStateException("published equations are infeasible: the audit setup is wrong");
        }
        // Drive artificials out of the basis; a row where that is impossible is redundant and is dropped.
        boolean[] dropped = new boolean[m];
        for (int r = 0; r < m; r++) {
            if (basis[r] < n) continue;
            int enter = -1;
            for (int j = 0; j < n; j++) {
                if (Math.abs(t[r][j]) > EPS) {
                    enter = j;
                    break;
                }
            }
            if (enter < 0) {
                dropped[r] = true;
            } else {
                pivot(t, basis, r, enter, m);
            }
        }
        // Phase 2 on the original columns only.
        double[][] u = new double[m + 1][n + 1];
        int[] basis2 = new int[m];
        int k = 0;
        for (int r = 0; r < m; r++) {
            if (dropped[r]) continue;
            System.arraycopy(t[r], 0, u[k], 0, n);
            u[k][n] = t[r][n + m];
            basis2[k++] = basis[r];
        }
        double[][] w = new double[k + 1][];
        System.arraycopy(u, 0, w, 0, k);
        w[k] = new double[n + 1];
        int[] b2 = java.util.Arrays.copyOf(basis2, k);
        double constant = 0;
        for (int j = 0; j < n; j++) {
            w[k][j] = objective[j];
            constant += objective[j] * lower[j];
        }
        for (int r = 0; r < k; r++) {
            double c = w[k][b2[r]];
            if (c == 0) continue;
            for (int j = 0; j <= n; j++) {
                w[k][j] -= c * w[r][j];
            }
        }
        if (!run(w, b2, n, k)) {
            return Double.POSITIVE_INFINITY;
        }
        return constant - w[k][n];
    }

    /** Maximises the objective row in place (reduced costs in row m, value as -rhs). False when unbounded. */
    private static boolean run(double[][] t, int[] basis, int columns, int m) {
        int last = t[0].length - 1;
        while (true) {
            int enter = -1;
            for (int j = 0; j < columns; j++) {
                if (t[m][j] > EPS) {
                    enter = j;
                    break;
                }
            }
            if (enter < 0) {
                return true;
            }
            int leave = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < m; r++) {
                if (t[r][enter] > EPS) {
                    double ratio = t[r][last] / t[r][enter];
                    if (ratio < best - EPS || (Math.abs(ratio - best) <= EPS && basis[r] < basis[leave])) {
                        best = ratio;
                        leave = r;
                    }
                }
            }
            if (leave < 0) {
                return false;
            }
            pivot(t, basis, leave, enter, m);
        }
    }

    private static void pivot(double[][] t, int[] basis, int r, int c, int m) {
        double p = t[r][c];
        int width = t[r].length;
        for (int j = 0; j < width; j++) {
            t[r][j] /= p;
        }
        for (int i = 0; i <= m; i++) {
            if (i == r) continue;
            double f = t[i][c];
            if (f == 0) continue;
            for (int j = 0; j < width; j++) {
                t[i][j] -= f * t[r][j];
            }
        }
        basis[r] = c;
    }
}
