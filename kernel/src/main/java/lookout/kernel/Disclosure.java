package lookout.kernel;

/** The disclosure rule every tier that leaves the restricted tables shares. */
public final class Disclosure {
    /**
     * The smallest count published as a number: a count below it could single out a person. Alerts say "fewer
     * than K" instead, and the public tier suppresses such cells (its default minimum cell size).
     */
    public static final int K = 5;

    private Disclosure() {}
}
