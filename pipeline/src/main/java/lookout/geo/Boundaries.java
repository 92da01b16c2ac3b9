package lookout.geo;

import java.nio.file.Path;

/** Resolves the {@code boundaries} setting: the built-in demo city, or a GeoJSON file. */
public final class Boundaries {
    public static final String DEMO = "demo";

    private Boundaries() {}

    public static AreaIndex load(String setting) {
        return DEMO.equals(setting) ? AreaIndex.demoCity() : AreaIndex.fromGeoJson(Path.of(setting));
    }
}
