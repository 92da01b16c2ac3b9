package lookout.notify;

import java.util.List;

import lookout.kernel.Severity;
import lookout.schema.Alert;

/**
 * One step of an alert's lifecycle that people are told about, with the alert's fields as they were at that step
 * (the alert privacy tier: area id, hours, counts of at least k or none). It is what every message and feed entry
 * is written from, and what the notifier's journal keeps.
 *
 * @param observed cases in the window; null when fewer than k
 * @param found    the drug-checking findings the alert names ({@link FoundSubstances}), none for most alerts
 */
public record AlertStep(String spikeId, Kind kind, Severity severity, String areaId, String signal, Integer observed,
        double expected, long windowStart, long windowEnd, long openedAt, long at, List<FoundSubstances.Found> found) {

    public AlertStep {
        found = List.copyOf(found);
    }

    /** A step that names no drug-checking finding. */
    public AlertStep(String spikeId, Kind kind, Severity severity, String areaId, String signal, Integer observed,
            double expected, long windowStart, long windowEnd, long openedAt, long at) {
        this(spikeId, kind, severity, areaId, signal, observed, expected, windowStart, windowEnd, openedAt, at,
                List.of());
    }

    public enum Kind {
        OPENED, WORSENED, CLOSED;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static AlertStep of(Alert a, Kind kind, Severity severity) {
        return new AlertStep(a.getSpikeId(), kind, severity, a.getAreaId(), a.getSignal(), a.getObserved(),
                a.getExpected(), a.getWindowStart(), a.getWindowEnd(), a.getOpenedAt(),
                a.getClosedAt() != null ? a.getClosedAt() : a.getUpdatedAt(), FoundSubstances.of(a.getEvidence()));
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
