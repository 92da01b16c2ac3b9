package lookout.config;

import java.time.Instant;

/**
 * The span of instants a record or a setting may name: whatever the settings, everything after ingest (minute
 * truncation, hour and day buckets, DuckDB's timestamps and dates) can then assume a local day in years 0001 to 9999
 * in every zone (offsets reach 18 hours) and epoch milliseconds that fit a long.
 */
public final class PlausibleTimes {
    public static final Instant FIRST = Instant.parse("0001-01-02T00:00:00Z");
    public static final Instant LAST = Instant.parse("9999-12-30T00:00:00Z");
    /** The span in words, for the settings' descriptions and refusals. */
    public static final String SPAN = "from " + FIRST + " to " + LAST;

    private PlausibleTimes() {}

    public static boolean contains(Instant t) {
        return !t.isBefore(FIRST) && !t.isAfter(LAST);
    }
}
