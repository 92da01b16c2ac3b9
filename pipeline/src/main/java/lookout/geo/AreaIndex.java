package lookout.geo;

import java.util.SplittableRandom;

/** Placeholder until the geo work lands. */
public final class AreaIndex implements PointSampler {
    public static AreaIndex demoCity() {
        return new AreaIndex();
    }

    public static AreaIndex fromGeoJson(java.nio.file.Path file) {
        return new AreaIndex();
    }

    public String areaAt(double lat, double lon) {
        return null;
    }

    public boolean isKnown(String areaId) {
        return false;
    }

    public java.util.List<Area> areas() {
        return java.util.List.of();
    }

    @Override
    public double[] pointIn(String areaId, SplittableRandom random) {
        return null;
    }
}
