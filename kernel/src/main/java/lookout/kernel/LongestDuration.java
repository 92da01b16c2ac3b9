package lookout.kernel;

import java.time.Duration;

/**
 * The longest duration a config key may give, for the job's config and the notifier's alike: 10,000 years. The
 * durations are added to times in milliseconds, where billions of years overflowed; no two plausible times lie
 * further apart.
 */
public final class LongestDuration {
    /** Named as an operator would write it. */
    public static final String TEXT = "P3652425D";
    private static final Duration LONGEST = Duration.parse(TEXT);

    private LongestDuration() {}

    /** {@code d}, the value of {@code key} written as {@code written}; one line naming the key when it is longer. */
    public static Duration check(String key, String written, Duration d) {
        if (d.compareTo(LONGEST) > 0) {
            throw new UsageException("config: " + key + " = '" + written + "' must be at most " + TEXT
                    + " (10,000 years)");
        }
        return d;
    }
}
