package lookout.notify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.kernel.Severity;
import lookout.kernel.Signal;
import lookout.schema.Alert;

/**
 * One step of an alert's lifecycle that people are told about, with the alert's fields as they were at that step
 * (the alert privacy tier: area id, hours, counts of at least k or none). It is what every message and feed entry
 * is written from, and what the notifier's journal keeps.
 *
 * @param observed cases in the window; null when fewer than k
 * @param zone     a cluster alert's areas, centre ({@code areaId}) first, from the job's space-time scan (the
 *                 evidence's {@code areas}); empty for an alert about one area
 * @param found    the drug-checking findings the alert names ({@link FoundSubstances}), none for most alerts
 */
public record AlertStep(String spikeId, Kind kind, Severity severity, String areaId, String signal, Integer observed,
        double expected, long windowStart, long windowEnd, long openedAt, long at, List<String> zone,
        List<FoundSubstances.Found> found) {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The spike ids the notifier takes: the job makes name-based UUIDs; letters, digits, {@code -} and {@code _}
     * (no dot, no slash) allow those and keep an id that names a CAP file from naming one outside the feed.
     */
    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    /** The job's method name for a cluster alert (lookout.detect.SpaceTimeScan.METHOD). */
    static final String CLUSTER_METHOD = "scan_cluster";

    public AlertStep {
        zone = List.copyOf(zone);
        found = List.copyOf(found);
    }

    /** A step of an alert about one area that names no drug-checking finding. */
    public AlertStep(String spikeId, Kind kind, Severity severity, String areaId, String signal, Integer observed,
            double expected, long windowStart, long windowEnd, long openedAt, long at) {
        this(spikeId, kind, severity, areaId, signal, observed, expected, windowStart, windowEnd, openedAt, at,
                List.of(), List.of());
    }

    public enum Kind {
        OPENED,
        /**
         * The alert, opened below k events (its count withheld), now counts at least k at the same severity: the
         * public feeds' first word on it, and that of the numbers that texted JOIN, who are told what the feeds
         * tell. Other subscribers were told at its opening, so they are not sent this step, except as the alert's
         * latest state to someone who had heard nothing of it ({@link Dispatcher#tellOpen}). Declared in lifecycle
         * order, which held messages are released in.
         */
        COUNTED,
        WORSENED, CLOSED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The step whose words a message of this step uses: a counted alert reads as an opening. */
        String wording() {
            return this == COUNTED ? OPENED.code() : code();
        }
    }

    static AlertStep of(Alert a, Kind kind, Severity severity) {
        return new AlertStep(a.getSpikeId(), kind, severity, a.getAreaId(), a.getSignal(), a.getObserved(),
                a.getExpected(), a.getWindowStart(), a.getWindowEnd(), a.getOpenedAt(),
                a.getClosedAt() != null ? a.getClosedAt() : a.getUpdatedAt(), zoneOf(a),
                FoundSubstances.of(a.getEvidence()));
    }

    /**
     * Whether the public feeds carry this step: not for a signal the public tier does not publish ({@code combined},
     * and {@code multi}, which counts combined overdoses: beside the paramedic and naloxone counts they would say
     * how many people were linked), as on the dashboards' public alerts.
     */
    boolean isPublic() {
        return Signal.fromCode(signal).map(Signal::isPublic).orElse(false);
    }

    /**
     * Whether the public may first hear of its alert by this step: a public signal and at least k events (the job
     * gives no count below k). Later steps of an alert the public has heard of are public too.
     */
    boolean opensToThePublic() {
        return isPublic() && observed != null && kind != Kind.CLOSED;
    }

    /**
     * The step as told to someone who may not know its count: no count and no usual level ({@code expected} NaN),
     * for the fields a webhook carries beside the public's words.
     */
    AlertStep withoutCount() {
        return new AlertStep(spikeId, kind, severity, areaId, signal, null, Double.NaN, windowStart, windowEnd,
                openedAt, at, zone, found);
    }

    /** Whether a spike id is one the notifier takes ({@link #SAFE_ID}). */
    static boolean safeId(String spikeId) {
        return spikeId != null && SAFE_ID.matcher(spikeId).matches();
    }

    /** A cluster alert's areas from its evidence; none for any other alert or unreadable evidence. */
    static List<String> zoneOf(Alert a) {
        if (!CLUSTER_METHOD.equals(a.getMethod()) || a.getEvidence() == null) {
            return List.of();
        }
        try {
            JsonNode areas = JSON.readTree(a.getEvidence()).path("areas");
            List<String> out = new ArrayList<>();
            areas.forEach(n -> out.add(n.asText()));
            return out;
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    /**
     * The step's name within its spike: {@code opened}, {@code worsened-high}, {@code closed}. A spike worsens to
     * each severity at most once, so with the spike id this names the step for good, across restarts and replays.
     */
    public String code() {
        return kind == Kind.WORSENED ? kind.code() + "-" + severity.code() : kind.code();
    }

    /** The idempotency key of this step's message to one channel. */
    public String deliveryKey(Channel channel) {
        return spikeId + "/" + code() + "/" + channel.id();
    }
}
