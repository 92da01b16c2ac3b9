package lookout.bench.micro;

import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;

/**
 * Which boundaries a micro-benchmark loads. The bench command resolves them (Toronto or its fallback, the
 * generated 10,000-area city) and passes them as system properties, which reach forked benchmark JVMs too.
 */
public final class MicroCities {
    public static final String PROPERTY_PREFIX = "lookout.bench.city.";
    public static final String TORONTO = "toronto";
    public static final String SYNTHETIC = "synthetic";

    private MicroCities() {}

    /** The {@code boundaries} setting for {@code name}. */
    public static String setting(String name) {
        String value = System.getProperty(PROPERTY_PREFIX + name);
        if (value == null) {
            throw new IllegalStateException("system property " + PROPERTY_PREFIX + name + " is not set (run through ./lookout bench)");
        }
        return value;
    }

    public static AreaIndex load(String name) {
        return Boundaries.load(setting(name));
    }
}
