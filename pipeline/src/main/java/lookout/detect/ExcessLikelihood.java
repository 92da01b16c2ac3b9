package lookout.detect;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Gamma;

/**
 * How much more likely a day's count is if an outbreak added Poisson(delta) extra cases on top of the usual
 * negative-binomial count (mean mu, variance phi * mu) than if it did not: the log likelihood ratio of one day.
 *
 * <p>An additive excess, not a multiplied rate, is the point: a single wild day in a heavy-tailed area stays
 * roughly as likely under "no outbreak" as under "outbreak", so it cannot alarm alone, while a run of moderately
 * high days adds up.
 *
 * <p>The ratio is sum_e Pois(e; delta) * NB(y - e) / NB(y) over e = 0..y extra cases. Term e is term e - 1 times
 * {@code factor(e)} = delta / e * j / ((j - 1 + r) q) with j = y - e + 1, r = mu / (phi - 1) and q = 1 - 1 / phi.
 */
final class ExcessLikelihood {
    /**
     * Past this excess the first term, e^-delta, is not a normal double: summed from it, the terms lose their
     * digits and then all read 0 (the log of the sum was -infinity), so such a sum is taken from its largest term.
     */
    private static final double LARGEST_PRODUCT_DELTA = -Math.log(Double.MIN_NORMAL);

    private ExcessLikelihood() {}

    static double logRatio(int y, double mu, double phi, double delta) {
        if (poisson(phi)) {
            // Poisson plus Poisson is Poisson.
            return y * Math.log1p(delta / mu) - delta;
        }
        Terms terms = new Terms(y, mu / (phi - 1), 1 - 1 / phi, delta);
        if (delta > LARGEST_PRODUCT_DELTA) {
            // An infinite excess makes every term of e <= y cases 0.
            return delta == Double.POSITIVE_INFINITY ? Double.NEGATIVE_INFINITY : terms.logSumFromLargest();
        }
        double fromZero = terms.logSumFromZero();
        // Where r is small, a large count's products overflow before its terms fall (infinity, or NaN once the
        // Poisson factor has underflowed to 0): in logs the same sum is finite.
        return Double.isFinite(fromZero) ? fromZero : terms.logSumFromLargest();
    }

    /**
     * Whether {@link #logRatio} never falls as y grows. Term e of the sum is Pois(e; delta) q^-e times the product of
     * j / (j - 1 + r) over j = y - e + 1..y; one more case shifts that range up by one, trading its lowest factor for
     * a new highest one, and j / (j - 1 + r) grows with j when r &gt;= 1, so every term grows and a new one joins. With
     * r &lt; 1 the factors fall as j grows: a large count is then explained by the baseline's heavy tail, and the
     * ratio falls again towards e^(delta / (phi - 1)).
     */
    static boolean growsWithCount(double mu, double phi) {
        return poisson(phi) || mu / (phi - 1) >= 1;
    }

    /**
     * log of an amount A such that the ratio of every count from y up is at most the ratio of y plus A, where r &lt; 1.
     * There term e &lt;= y of a larger count is at most term e of y (the factors above fall as j grows), and term
     * e &gt; y of any count is at most term e of count e: Pois(e; delta) q^-e times a product of at most e / r (below
     * j / (j - 1) the factors telescope; j = 1 gives 1 / r). Summed over e &gt; y, A = (lambda / r) e^(lambda - delta)
     * P(Pois(lambda) &gt;= y) with lambda = delta / q, which falls faster than geometrically once y passes lambda.
     */
    static double logLaterTerms(int y, double mu, double phi, double delta) {
        double r = mu / (phi - 1);
        double lambda = delta / (1 - 1 / phi);
        double tail = y == 0 ? 1 : Gamma.regularizedGammaP(y, lambda);
        return Math.log(lambda / r) + lambda - delta + Math.log(tail);
    }

    /** The terms of one day's sum, and bounds on the terms not yet added. */
    private record Terms(int y, double r, double q, double delta) {

        /** Term by term from e = 0, as products. */
        double logSumFromZero() {
            // Each step multiplies the term by delta / e times a factor j / ((j - 1 + r) q) of at most this much.
            double largestFactor = Math.max(1, 1 / r) / q;
            double pois = Math.exp(-delta);
            double ratio = 1;
            double sum = pois;
            for (int e = 1; e <= y; e++) {
                int j = y - e + 1;
                ratio *= j / ((j - 1 + r) * q);
                pois *= delta / e;
                double term = pois * ratio;
                sum += term;
                // Past e > 2 delta largestFactor every later term is at most half the one before, so none of them
                // can change the sum once this one is below a quarter of its last bit: the result is the whole
                // loop's, and an absurd count (a flood of events, a corrupt series) costs a few dozen steps, not one
                // per event. A sum overflowed to infinity or NaN (such a count where r is small) stays so: nothing
                // more to add either, and logRatio takes it in logs instead.
                if (e > 2 * delta * largestFactor && term < Math.ulp(sum) / 4 || !Double.isFinite(sum)) {
                    break;
                }
            }
            return Math.log(sum);
        }

        /**
         * The same sum in logs: the largest term's log from log-gamma functions, then the terms on either side as
         * multiples of it, until the ones left out add less than a quarter of the sum's last bit. Exact to
         * rounding, where the product form's first term underflows.
         */
        double logSumFromLargest() {
            int top = largestTerm();
            double sum = 1;
            double term = 1;
            for (int e = top; e > 0 && term > 0; e--) {
                term /= factor(e);
                sum += term;
                if (earlierTerms(e - 1, term) < Math.ulp(sum) / 4) {
                    break;
                }
            }
            term = 1;
            for (int e = top + 1; e <= y; e++) {
                term *= factor(e);
                sum += term;
                if (laterTerms(e, term) < Math.ulp(sum) / 4 || !Double.isFinite(sum)) {
                    break;
                }
            }
            return logTerm(top) + Math.log(sum);
        }

        /** term(e) / term(e - 1), for 1 <= e <= y. */
        double factor(int e) {
            int j = y - e + 1;
            return delta / e * j / ((j - 1 + r) * q);
        }

        /**
         * The largest term's e. With r &lt; 1 every factor up to e = delta / q is at least delta / (e q) &gt;= 1, so
         * the terms rise at least that far (later ones are summed by bound); with r &gt;= 1 the factors fall as e
         * grows, so the terms rise while the factor is at least 1.
         */
        int largestTerm() {
            if (r < 1) {
                return (int) Math.min(y, Math.floor(delta / q));
            }
            long lo = 0;
            long hi = y + 1L;
            while (hi - lo > 1) {
                int mid = (int) ((lo + hi) >>> 1);
                if (factor(mid) >= 1) {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            return (int) lo;
        }

        /** log term(e), with log-beta functions for the baseline's ratio, which stay exact for huge counts. */
        double logTerm(int e) {
            double poisson = -delta + e * Math.log(delta) - Gamma.logGamma(e + 1.0);
            if (e == 0) {
                return poisson;
            }
            // NB(y - e) / NB(y) = q^-e Gamma(y - e + r) y! / (Gamma(y + r) (y - e)!)
            return poisson - e * Math.log(q) + Beta.logBeta(y - e + r, e) - Beta.logBeta(y - e + 1.0, e);
        }

        /**
         * A bound on the sum of the terms after e, given term(e). Every later factor is at most
         * delta / ((e + 1) q) times j / (j - 1 + r), j &lt;= y - e: with r &gt;= 1 that fraction grows with j, so it
         * is at most its value at j = y - e; with r &lt; 1 it is at most 1 / r, and the fractions of any run of later
         * terms multiply to at most (y - e) / r (below j / (j - 1) they telescope, and j = 1 gives 1 / r).
         * Infinity until the terms must fall.
         */
        double laterTerms(int e, double term) {
            if (e >= y) {
                return 0;
            }
            double perTerm = delta / ((e + 1) * q);
            if (r >= 1) {
                return geometric(term, perTerm * (y - e) / (y - e - 1 + r));
            }
            return Math.min(geometric(term, perTerm / r), (y - e) / r * geometric(term, perTerm));
        }

        /**
         * A bound on the sum of the terms before e, given term(e), for e at most the largest term's: each is the
         * next one over its factor, and 1 / factor(i) = i q / delta * (j - 1 + r) / j is at most e q / delta for
         * i &lt;= e with r &lt; 1, and with r &gt;= 1 at most 1 / factor(e), as the factors fall while e grows.
         */
        double earlierTerms(int e, double term) {
            if (e <= 0) {
                return 0;
            }
            return geometric(term, r < 1 ? e * q / delta : 1 / factor(e));
        }

        /** term * (x + x^2 + ...), or infinity when the terms need not fall. */
        private static double geometric(double term, double x) {
            return x < 1 ? term * x / (1 - x) : Double.POSITIVE_INFINITY;
        }
    }

    /** A dispersion this close to 1 is taken as the Poisson's, whose r = mu / (phi - 1) is infinite. */
    private static boolean poisson(double phi) {
        return phi <= 1 + 1e-9;
    }

    /** log P(y) under the negative binomial (or Poisson) baseline, for tests. */
    static double logBaseline(int y, double mu, double phi) {
        if (poisson(phi)) {
            return y * Math.log(mu) - mu - Gamma.logGamma(y + 1.0);
        }
        double r = mu / (phi - 1);
        return Gamma.logGamma(y + r) - Gamma.logGamma(r) - Gamma.logGamma(y + 1.0) + r * Math.log(1 / phi)
                + y * Math.log(1 - 1 / phi);
    }
}
