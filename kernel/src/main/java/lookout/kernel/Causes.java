package lookout.kernel;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** A failure's chain of causes, walked in one place: the innermost cause is the one that names the problem. */
public final class Causes {
    private Causes() {}

    /** The last cause in {@code failure}'s chain ({@code failure} itself if it has none); a cycle ends the walk. */
    public static Throwable innermost(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Throwable c = failure;
        while (c.getCause() != null && seen.add(c)) {
            c = c.getCause();
        }
        return c;
    }
}
