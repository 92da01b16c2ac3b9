package lookout.cli;

import lookout.config.LookoutConfig;
import lookout.detect.DetectionKeys;
import lookout.geo.Area;
import lookout.geo.AreaIndex;
import lookout.geo.Boundaries;
import lookout.geo.BoundaryException;
import lookout.kernel.Options;
import lookout.kernel.UsageException;

/** Options shared by the commands that run the job: a config file, then command-line overrides. */
public final class JobOptions {
    private JobOptions() {}

    public static LookoutConfig config(Options o) {
        LookoutConfig config = o.has("config")
                ? LookoutConfig.load(o.existingPath("config"))
                : LookoutConfig.defaults();
        for (String key : new String[] {"db", "boundaries", "zone"}) {
            if (o.has(key)) {
                config = config.with(key, o.get(key));
            }
        }
        return config;
    }

    /**
     * Loads the boundaries once up front, so a bad file stops the command before any job starts; that includes two
     * areas the detectors could not tell apart ({@link DetectionKeys#requireDistinct}).
     */
    static AreaIndex boundaries(LookoutConfig config) {
        AreaIndex areas;
        try {
            areas = Boundaries.load(config.boundaries());
        } catch (BoundaryException e) {
            throw new UsageException(e.getMessage());
        }
        try {
            DetectionKeys.requireDistinct(areas.areas().stream().map(Area::id).toList());
        } catch (IllegalArgumentException e) {
            throw new UsageException("boundary file " + config.boundaries() + ": " + e.getMessage());
        }
        return areas;
    }
}
