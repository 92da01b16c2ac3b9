package lookout.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The auditor is only as honest as its optimiser: known optima, including the one commons-math3 got wrong. */
class SimplexLpTest {
    @Test
    void boundsOfTwoCellsUnderOneTotal() {
        SimplexLp lp = new SimplexLp(14);
        double[] all = new double[14];
        java.util.Arrays.fill(all, 1);
        lp.equal(all, 2);
        double[] two = new double[14];
        two[0] = 1;
        two[7] = 1;
        assertEquals(2.0, lp.maximise(two), 1e-9);
        assertEquals(0.0, -lp.maximise(negate(two)), 1e-9);
    }

    @Test
    void redundantEquationsLowerBoundsAndUnboundedCells() {
        SimplexLp lp = new SimplexLp(4);
        lp.equal(new double[] {1, 1, 0, 0}, 10);
        lp.equal(new double[] {0, 0, 1, 1}, 5);
        lp.equal(new double[] {1, 1, 1, 1}, 15);
        lp.equal(new double[] {1, 0, 1, 0}, 9);
        lp.atLeast(0, 3);
        assertEquals(9.0, lp.maximise(new double[] {1, 0, 0, 0}), 1e-9);
        assertEquals(4.0, -lp.maximise(new double[] {-1, 0, 0, 0}), 1e-9);
        assertEquals(5.0, lp.maximise(new double[] {0, 0, 1, 0}), 1e-9);
        assertEquals(0.0, -lp.maximise(new double[] {0, 0, -1, 0}), 1e-9);

        SimplexLp open = new SimplexLp(3);
        open.equal(new double[] {1, 1, 0}, 4);
        assertEquals(Double.POSITIVE_INFINITY, open.maximise(new double[] {0, 0, 1}));
        assertEquals(4.0, open.maximise(new double[] {1, 0, 0}), 1e-9);
    }

    private static double[] negate(double[] v) {
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = -v[i];
        }
        return r;
    }
}
