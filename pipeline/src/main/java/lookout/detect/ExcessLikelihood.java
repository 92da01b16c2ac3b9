package lookout.detect;

import org.apache.commons.math3.special.Gamma;

/**
 * How much more likely a day's count is if an outbreak added Poisson(delta) extra cases on top of the usual
 * negative-binomial count (mean mu, variance phi * mu) than if it did not: the log likelihood ratio of one day.
 *
 * <p>An additive excess, not a multiplied rate, is the point: a single wild day in a heavy-tailed area stays
 * roughly as likely under "no outbreak" as under "outbreak", so it cannot alarm alone, while a run of moderately
 * high days adds up.
 */
final class ExcessLikelihood {
    private ExcessLikelihood() {}

    static double logRatio(int y, double mu, double phi, double delta) {
        if (phi <= 1 + 1e-9) {
            // Poisson plus Poisson is Poisson.
            return y * Math.log1p(delta / mu) - delta;
        }
        double r = mu / (phi - 1);
        double q = 1 - 1 / phi;
        // Each step multiplies the term by delta / e times a factor j / ((j - 1 + r) q) of at most this much.
        double largestFactor = Math.max(1, 1 / r) / q;
        // sum_e Pois(e; delta) * NB(y - e) / NB(y), with NB(y-1)/NB(y) = y / ((y - 1 + r) q)
        double pois = Math.exp(-delta);
        double ratio = 1;
        double sum = pois;
        for (int e = 1; e <= y; e++) {
            int j = y - e + 1;
            ratio *= j / ((j - 1 + r) * q);
            pois *= delta / e;
            double term = pois * ratio;
            sum += term;
            // Past e > 2 delta largestFactor every later term is at most half the one before, so none of them can
            // change the sum once this one is below a quarter of its last bit: the result is the whole loop's, and
            // an absurd count (a flood of events, a corrupt series) costs a few dozen steps, not one per event. A sum
            // overflowed to infinity or NaN (such a count where r is small) stays so: nothing more to add either.
            if (e > 2 * delta * largestFactor && term < Math.ulp(sum) / 4 || !Double.isFinite(sum)) {
                break;
            }
        }
        return Math.log(sum);
    }

    /** log P(y) under the negative binomial (or Poisson) baseline, for tests. */
    static double logBaseline(int y, double mu, double phi) {
        if (phi <= 1 + 1e-9) {
            return y * Math.log(mu) - mu - Gamma.logGamma(y + 1.0);
        }
        double r = mu / (phi - 1);
        return Gamma.logGamma(y + r) - Gamma.logGamma(r) - Gamma.logGamma(y + 1.0) + r * Math.log(1 / phi)
                + y * Math.log(1 - 1 / phi);
    }
}
