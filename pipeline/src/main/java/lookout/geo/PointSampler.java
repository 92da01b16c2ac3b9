package lookout.geo;

import java.util.SplittableRandom;

/** Draws points inside an area, so generators can publish realistic coordinates for it. */
@FunctionalInterface
public interface PointSampler {
    /** A point {lat, lon} uniformly distributed inside the area. */
    double[] pointIn(String areaId, SplittableRandom random);
}
