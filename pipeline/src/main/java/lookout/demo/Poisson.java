package lookout.demo;

import java.util.SplittableRandom;

/** Poisson counts from a seeded generator, so the demo stream is reproducible. */
final class Poisson {
    /** Knuth's method underflows for large means; Poisson variables add, so large means are drawn in chunks. */
    private static final double CHUNK = 30.0;

    private Poisson() {}

    static int draw(double mean, SplittableRandom random) {
        if (mean < 0 || Double.isNaN(mean)) {
            throw new IllegalArgumentException("Poisson mean must be non-negative, got " + mean);
        }
        int total = 0;
        double rest = mean;
        while (rest > CHUNK) {
            total += knuth(CHUNK, random);
            rest -= CHUNK;
        }
        return total + knuth(rest, random);
    }

    private static int knuth(double mean, SplittableRandom random) {
        double limit = Math.exp(-mean);
        int k = 0;
        double p = random.nextDouble();
        while (p > limit) {
            k++;
            p *= random.nextDouble();
        }
        return k;
    }
}
