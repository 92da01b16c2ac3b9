package lookout.evaluate;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * The chance of a count at least this high on a usual day: the upper tail of the negative binomial with mean mu and
 * variance phi * mu (Poisson when phi is 1). The one-day test against which the excess-cases GLR is measured.
 */
final class UpperTail {
    private UpperTail() {}

    /** P(Y >= y). */
    static double pValue(int y, double mu, double phi) {
        if (y <= 0) {
            return 1;
        }
        if (phi <= 1 + 1e-9) {
            // P(Poisson(mu) >= y) = P(Gamma(y, 1) <= mu)
            return Gamma.regularizedGammaP(y, mu);
        }
        // P(NB(size r, prob p) >= y) = I_{1-p}(y, r), with r = mu / (phi - 1), p = 1 / phi
        return Beta.regularizedBeta(1 - 1 / phi, y, mu / (phi - 1));
    }

    /** The largest count whose upper tail is still at least {@code alpha}: a test at level alpha alarms above it. */
    static int largestQuietCount(double mu, double phi, double alpha) {
        int y = 1;
        while (pValue(y, mu, phi) >= alpha) {
            y++;
        }
        return y - 1;
    }
}
