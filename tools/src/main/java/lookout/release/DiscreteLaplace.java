package lookout.release;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.random.RandomGenerator;

/**
 * The discrete Laplace (two-sided geometric) mechanism: P(Z = z) is proportional to exp(-epsilon |z| / sensitivity).
 * Sampled exactly with integer arithmetic (Canonne, Kamath and Steinke, "The Discrete Gaussian for Differential
 * Privacy", 2020, algorithms 1 and 2), because floating-point Laplace samplers leak through the gaps between
 * representable doubles. Epsilon is a decimal, used as the exact fraction it denotes. Randomness comes from a
 * {@link SecureRandom} so noise cannot be predicted or replayed.
 */
public final class DiscreteLaplace {
    private final RandomGenerator random;
    private final long s;
    private final long t;

    /** Noise for counts with the given L1 {@code sensitivity} at {@code epsilon}, from a fresh SecureRandom. */
    public DiscreteLaplace(BigDecimal epsilon, int sensitivity) {
        this(epsilon, sensitivity, new SecureRandom());
    }

    DiscreteLaplace(BigDecimal epsilon, int sensitivity, RandomGenerator random) {
        if (epsilon.signum() <= 0 || sensitivity < 1) {
            throw new IllegalArgumentException("epsilon and sensitivity must be positive");
        }
        BigDecimal e = epsilon.stripTrailingZeros();
        BigInteger num = e.unscaledValue();
        BigInteger den = BigInteger.TEN.pow(Math.max(0, e.scale()));
        if (e.scale() < 0) {
            num = num.multiply(BigInteger.TEN.pow(-e.scale()));
        }
        BigInteger g = num.gcd(den);
        // exp(-|y| epsilon / sensitivity) = exp(-|y| s / t)
        this.s = num.divide(g).longValueExact();
        this.t = den.divide(g).multiply(BigInteger.valueOf(sensitivity)).longValueExact();
        if (s > 1_000_000_000L || t > 1_000_000_000L) {
            throw new IllegalArgumentException("epsilon has too many decimal places");
        }
        this.random = random;
    }

    /** One draw of noise. */
    public long sample() {
        while (true) {
            long u = random.nextLong(t);
            if (!bernoulliExp(u, t)) {
                continue;
            }
            long v = 0;
            while (bernoulliExp(1, 1)) {
                v++;
            }
            long y = Math.addExact(u, Math.multiplyExact(t, v)) / s;
            boolean negative = random.nextBoolean();
            if (negative && y == 0) {
                continue;
            }
            return negative ? -y : y;
        }
    }

    /** {@code count} plus one draw of noise. */
    public long noisy(long count) {
        return Math.addExact(count, sample());
    }

    /** Bernoulli(exp(-n/d)) for 0 <= n/d <= 1, exactly. */
    boolean bernoulliExp(long n, long d) {
        long k = 1;
        while (bernoulli(n, Math.multiplyExact(d, k))) {
            k++;
        }
        return k % 2 == 1;
    }

    /** Bernoulli(n/d), exactly. */
    private boolean bernoulli(long n, long d) {
        return random.nextLong(d) < n;
    }
}
