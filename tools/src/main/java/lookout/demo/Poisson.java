package lookout.demo;

import java.util.function.DoubleSupplier;

/** Poisson counts from a seeded source of uniform numbers, so generated streams are reproducible. */
public final class Poisson {
    /** Knuth's method underflows for large means; Poisson variables add, so large means are drawn in chunks. */
    private static final double CHUNK = 30.0;

    private Poisson() {}

    /** @param uniform draws from [0, 1), e.g. {@code random::nextDouble} of any seeded generator */
    public static int draw(double mean, DoubleSupplier uniform) {
        if (mean < 0 || Double.isNaN(mean)) {
            throw new IllegalArgumentException("Poisson mean must be non-negative, got " + mean);
        }
        int total = 0;
        double rest = mean;
        while (rest > CHUNK) {
            total += knuth(CHUNK, uniform);
            rest -= CHUNK;
        }
        return total + knuth(rest, uniform);
    }

    private static int knuth(double mean, DoubleSupplier uniform) {
        double limit = Math.exp(-mean);
        int k = 0;
        double p = uniform.getAsDouble();
        while (p > limit) {
            k++;
            p *= uniform.getAsDouble();
        }
        return k;
    }
}
