package lookout.detect;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import lookout.kernel.Disclosure;
import lookout.kernel.Signal;

/**
 * Sentences an outreach worker can act on without statistics: what rose, where, how much against usual, and why
 * the alert fired. Counts below {@link Disclosure#K} are said as "fewer than K". The alert sentences are joined
 * by hand rather than by {@code String.format}: an alarming area builds one for every event it fires on.
 */
public final class Explanations {
    /** How the coroner confirmation's sentences begin: the confirmation replaces what follows on each update. */
    static final String CORONER_DEATHS = " Coroner reports received since then: ";
    /** From this share of reports in on, the count so far is taken as final and no nowcast is said. */
    static final double NEARLY_ALL_IN = 0.95;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM yyyy, HH:00", Locale.ENGLISH);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEE d MMM yyyy", Locale.ENGLISH);
    private static volatile SaidHour lastSaid;

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
        return "usually about " + Math.round(expected);
    }

    /** "on Sat 28 Feb 2026": a day's count, dated as the sentence dates its detection. */
    public static String onDay(LocalDate day) {
        return "on " + DAY.format(day);
    }

    /**
     * An alert from a count detector (daily or intraday); {@code when} says when the count was made ({@link #onDay},
     * "in the last 6 hours").
     */
    public static String countAlert(String signal, String areaId, String when, int observed, double expected,
            double threshold, long time, ZoneId zone) {
        return "More " + whatIsCounted(signal) + " than usual in area " + areaId + ": " + count(observed) + " "
                + when + ", when " + usual(expected) + " would be normal for this area at this time. "
                + "That is above this area's alert level" + levelText(threshold) + ", so it is unlikely to be chance. "
                + asOf(time, zone);
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
        return "Possible toxic drug supply in area " + areaId + ": overdoses are up (" + count(paramedic)
                + " paramedic calls and " + count(naloxone) + " naloxone uses in the last " + hours
                + " hours, more than usual) and drug checking recently found " + found + " in samples from area "
                + String.join(", ", foundInAreas) + ". People using drugs nearby may be at higher risk. "
                + asOf(time, zone);
    }

    /**
     * "Figures as of Tue 2 Dec 2026, 14:00.": the hour of the firing whose figures the sentence gives. An alert's
     * text is that of its latest firing, so beside the hour it opened this says when its figures were made, not
     * when it was detected.
     */
    static String asOf(long time, ZoneId zone) {
        return "Figures as of " + hour(time, zone) + ".";
    }

    /**
     * An hour as said: "Tue 2 Dec 2026, 14:00". Every firing in an alarming area says it, nearly always of the same
     * hour as the one before, so the last hour's words are kept (an immutable pair, so threads that race on it only
     * format again).
     */
    private static String hour(long time, ZoneId zone) {
        long hour = SpikeTracker.hour(time);
        SaidHour last = lastSaid;
        if (last == null || last.hour() != hour || !last.zone().equals(zone)) {
            last = new SaidHour(hour, zone, WHEN.format(Instant.ofEpochMilli(hour).atZone(zone)));
            lastSaid = last;
        }
        return last.text();
    }

    private record SaidHour(long hour, ZoneId zone, String text) {}

    /**
     * The coroner confirmation: the deaths reported so far around an alert and, while reports for those days are
     * still coming in, how many to expect once all are in ({@code nowcast}; null when no delays are known). The
     * expected count and its interval are said only when the count so far is at least k: the expected count is the
     * count so far over a share that is the same for every area, so it would give a small count away. Below k the
     * sentence says only that share and what it means (about N times as many), the same words for 0 to k - 1.
     */
    public static String coronerDeaths(int deaths, Nowcast.Estimate nowcast) {
        return CORONER_DEATHS + count(deaths) + " suspected overdose deaths in this area around the time of the "
                + "alert, which supports it." + stillToCome(nowcast);
    }

    private static String stillToCome(Nowcast.Estimate e) {
        if (e == null || e.shareReported() >= NEARLY_ALL_IN) {
            return "";
        }
        if (!e.estimated()) {
            return " Coroner reports come in late, and most of those for these days are usually still to come: too"
                    + " few are in to say how many deaths there will be.";
        }
        if (e.reported() >= Disclosure.K) {
            return String.format(Locale.ROOT, " Coroner reports come in late: about %d deaths are expected once all"
                    + " reports are in (likely between %d and %d).", Math.round(e.expected()), e.lower(), e.upper());
        }
        long tenths = Math.round(e.shareReported() * 10);
        return String.format(Locale.ROOT, " Coroner reports come in late: usually only about %d in 10 are in this"
                + " soon, so expect %s once all reports are in.", tenths, timesAsMany(10.0 / tenths));
    }

    /** "about 2.5 times as many": to the half, from the share as said, so the two numbers agree. */
    private static String timesAsMany(double ratio) {
        double halves = Math.round(ratio * 2) / 2.0;
        if (ratio < 1.5) {
            return "a few more";
        }
        if (halves == 2) {
            return "about twice as many";
        }
        String n = halves == Math.rint(halves) ? Long.toString((long) halves) : Double.toString(halves);
        return "about " + n + " times as many";
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
