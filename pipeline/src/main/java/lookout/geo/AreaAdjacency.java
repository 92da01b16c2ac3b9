package lookout.geo;

import java.util.Map;
import java.util.Set;

/**
 * Which areas border which: the adjacency the space-time scan grows its zones by and the job publishes as
 * {@code area_neighbours}. Two areas are neighbours when they share a stretch of border, not only a corner point.
 */
public final class AreaAdjacency {
    /** About a metre: real boundary files leave slivers between areas that share a street. */
    public static final double TOLERANCE_DEGREES = 1e-5;
    /**
     * About ten metres of shared border: a corner shared by four areas leaves at most about twice the tolerance
     * (two metres) of one boundary near the other, the shortest real shared street far more.
     */
    public static final double MIN_SHARED_DEGREES = 1e-4;

    private AreaAdjacency() {}

    /** Each area (file order) to the ids of the areas sharing a border with it, in id order. */
    public static Map<String, Set<String>> of(AreaIndex index) {
        return index.borderNeighbours(TOLERANCE_DEGREES, MIN_SHARED_DEGREES);
    }
}
