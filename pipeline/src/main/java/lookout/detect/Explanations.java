package lookout.detect;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * Sentences an outreach worker can act on without statistics: what rose, where, how much against usual, and why
 * the alert fired. Counts below {@link Disclosure#K} are said as "fewer than K".
 */
public final class Explanations {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:00", Locale.ENGLISH);

    private Explanations() {}

    /** The plain name of what a signal counts. */
    public static String whatIsCounted(String signal) {
        Optional<Signal> known = Signal.fromCode(signal);
        if (known.isEmpty()) {
            return "overdose-related reports";
        }
        return switch (known.get()) {
            case PARAMEDIC -> "paramedic calls for suspected overdoses";
            case NALOXONE -> "naloxone kits used to reverse overdoses";
            case CORONER -> "suspected overdose deaths reported to the coroner";
            case DRUG_CHECKING -> "drug-checking samples";
            case COMBINED -> "overdose-related reports";
        };
    }

    /** "7" or "fewer than 5": counts under {@link Disclosure#K} never leave the job at the alert tier. */
    public static String count(int n) {
        return n >= Disclosure.K ? Integer.toString(n) : "fewer than " + Disclosure.K;
    }

    static String usual(double expected) {
        if (expected < 1) {
            return "usually less than 1";
        }
        return String.format(Locale.ROOT, "usually about %d", Math.round(expected));
    }

    /** An alert from a count detector (daily or intraday). */
    public static String countAlert(String signal, String areaId, String period, int observed, double expected,
            double threshold, long time, ZoneId zone) {
        return String.format(Locale.ROOT,
                "More %s than usual in area %s: %s in %s, when %s would be normal for this area at this time. "
                        + "That is above this area's alert level%s, so it is unlikely to be chance. "
                        + "Detected %s.",
                whatIsCounted(signal), areaId, count(observed), period, usual(expected),
                levelText(threshold), WHEN.format(Instant.ofEpochMilli(SpikeTracker.hour(time)).atZone(zone)));
    }

    /** The multi-signal toxicity alert: overdoses rising where drug checking found a dangerous substance. */
    public static String toxicityAlert(String areaId, int paramedic, int naloxone, int hours, List<String> watchList,
            List<String> novel, List<String> foundInAreas, long time, ZoneId zone) {
        StringBuilder found = new StringBuilder();
        if (!watchList.isEmpty()) {
            found.append(String.join(", ", watchList));
        }
        if (!novel.isEmpty()) {
            found.append(found.length() > 0 ? ", and " : "").append("a substance not seen before in the city (")
                    .append(String.join(", ", novel)).append(")");
        }
        return String.format(Locale.ROOT,
                "Possible toxic drug supply in area %s: overdoses are up (%s paramedic calls and %s naloxone uses in "
                        + "the last %d hours, more than usual) and drug checking recently found %s in samples from "
                        + "area %s. People using drugs nearby may be at higher risk. Detected %s.",
                areaId, count(paramedic), count(naloxone), hours, found,
                String.join(", ", foundInAreas),
                WHEN.format(Instant.ofEpochMilli(SpikeTracker.hour(time)).atZone(zone)));
    }

    /** The smallest count that fires, said only when it is at least k. */
    private static String levelText(double threshold) {
        if (Double.isNaN(threshold) || Double.isInfinite(threshold)
                || threshold + 1 < Disclosure.K) {
            return "";
        }
        return " (" + ((long) Math.floor(threshold) + 1) + ")";
    }

    /** Severity of a count alert from how far the count is above usual. */
    public static String countSeverity(int observed, double expected) {
        double ratio = observed / Math.max(expected, 0.5);
        if (ratio >= 6) {
            return "high";
        }
        return ratio >= 3 ? "moderate" : "low";
    }
}
