package lookout.detect;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntFunction;

import lookout.kernel.AlertStatus;
import lookout.kernel.Disclosure;
import lookout.kernel.Severity;
import lookout.schema.Alert;

/**
 * The lifecycle of one area's spike alert: opened on the first firing, updated while firings continue, closed
 * after {@code quietDaysToClose} whole days without any. That hysteresis is what makes one ongoing spike one alert
 * rather than one per hour. A Flink POJO; keyed state holds one per area and signal.
 *
 * <p>Snapshots leave at the alert privacy tier: times truncated to the hour, counts below {@link Disclosure#K}
 * withheld, nothing but the area id for place. Updates within the same clock hour as the last snapshot are not
 * emitted (they would be identical after truncation) unless the alert got more severe.
 */
public final class SpikeTracker {
    private static final long HOUR = 3_600_000L;

    public boolean open;
    public String spikeId;
    public String areaId;
    public String signal;
    public String method;
    public long openedAt;
    public long updatedAt;
    public long windowStart;
    public long windowEnd;
    public int observed;
    public double expected;
    public double threshold;
    public double score;
    public String severity;
    public String evidence;
    public String explanation;
    public int firings;
    public int quietDays;
    /** Whole days without a firing before the alert closes; kept in the POJO so state is self-contained. */
    public int quietDaysToClose = 2;

    public SpikeTracker() {}

    public SpikeTracker(int quietDaysToClose) {
        this.quietDaysToClose = quietDaysToClose;
    }

    /** A firing: opens an alert, or updates the open one. Returns the snapshot to publish, if any. */
    public Optional<Alert> fire(String area, String sig, Firing f) {
        return fire(area, sig, area + "|" + sig, f);
    }

    /**
     * As {@link #fire(String, String, Firing)}, with the alert's identity given: {@code spike_id} is made of
     * {@code identity} and the opening hour, so that two kinds of alert on one area and signal (a cluster alert
     * centred on an area beside the area's own) never share an id.
     */
    public Optional<Alert> fire(String area, String sig, String identity, Firing f) {
        return fire(area, sig, identity, f, n -> EvidenceJson.of(f.method(), n, f.evidence()));
    }

    /** As {@link #fire(String, String, Firing)}, with the evidence JSON made from the firing count it is given. */
    Optional<Alert> fire(String area, String sig, Firing f, IntFunction<String> evidenceOf) {
        return fire(area, sig, area + "|" + sig, f, evidenceOf);
    }

    private Optional<Alert> fire(String area, String sig, String identity, Firing f, IntFunction<String> evidenceOf) {
        if (!open) {
            open = true;
            areaId = area;
            signal = sig;
            method = f.method();
            openedAt = hour(f.time());
            spikeId = UUID.nameUUIDFromBytes((identity + "|" + openedAt).getBytes(StandardCharsets.UTF_8))
                    .toString();
            windowStart = f.windowStart();
            windowEnd = f.windowEnd();
            firings = 0;
            take(f, evidenceOf);
            return Optional.of(snapshot(AlertStatus.OPENED, openedAt, null));
        }
        long previousHour = updatedAt;
        String previousSeverity = severity;
        windowStart = Math.min(windowStart, f.windowStart());
        windowEnd = Math.max(windowEnd, f.windowEnd());
        take(f, evidenceOf);
        if (hour(f.time()) == previousHour && rank(severity) <= rank(previousSeverity)) {
            return Optional.empty();
        }
        return Optional.of(snapshot(AlertStatus.UPDATED, updatedAt, null));
    }

    /** The end of a day: a day without firings counts toward closing, a day with one resets the count. */
    public Optional<Alert> endOfDay(long dayEnd, boolean firedToday) {
        if (!open) {
            return Optional.empty();
        }
        quietDays = firedToday ? 0 : quietDays + 1;
        if (quietDays < quietDaysToClose) {
            return Optional.empty();
        }
        Alert closed = snapshot(AlertStatus.CLOSED, hour(dayEnd), hour(dayEnd));
        open = false;
        return Optional.of(closed);
    }

    /**
     * {@code count} firings of the open alert in the clock hour of its last update, none more severe than it, the
     * last of them {@code last}: what firing them one by one would leave, none of them publishing a snapshot.
     */
    void absorb(int count, long fromWindowStart, long toWindowEnd, Firing last, IntFunction<String> evidenceOf) {
        windowStart = Math.min(windowStart, fromWindowStart);
        windowEnd = Math.max(windowEnd, toWindowEnd);
        firings += count - 1;
        take(last, evidenceOf);
    }

    private void take(Firing f, IntFunction<String> evidenceOf) {
        updatedAt = hour(f.time());
        observed = f.observed();
        expected = f.expected();
        threshold = f.threshold();
        score = f.score();
        quietDays = 0;
        firings++;
        if (severity == null || rank(f.severity()) > rank(severity) || firings == 1) {
            severity = f.severity();
        }
        explanation = f.explanation();
        evidence = evidenceOf.apply(firings);
    }

    private Alert snapshot(AlertStatus status, long at, Long closedAt) {
        return Alert.newBuilder()
                .setSpikeId(spikeId)
                .setAreaId(areaId)
                .setSignal(signal)
                .setMethod(method)
                .setOpenedAt(openedAt)
                .setUpdatedAt(at)
                .setClosedAt(closedAt)
                .setWindowStart(hour(windowStart))
                .setWindowEnd(hour(windowEnd))
                .setObserved(observed >= Disclosure.K ? observed : null)
                .setExpected(expected)
                .setThreshold(threshold)
                .setScore(score)
                .setSeverity(severity)
                .setStatus(status.code())
                .setEvidence(evidence)
                .setExplanation(closedAt == null ? explanation
                        : explanation + " The alert is now closed: there has been no further excess for "
                                + quietDays + " days.")
                .build();
    }

    /**
     * True if {@code candidate} is the same snapshot as {@code stored} or a later one of the same alert: a later
     * update time, or the same one further along the lifecycle. A backfill sorts records by key only, so the
     * snapshots of one alert can reach an operator or the sink out of order; keeping the newer one is what stops an
     * older "updated" snapshot from hiding the alert's closing.
     */
    public static boolean supersedes(Alert candidate, Alert stored) {
        if (candidate.getUpdatedAt() != stored.getUpdatedAt()) {
            return candidate.getUpdatedAt() > stored.getUpdatedAt();
        }
        return stage(candidate) >= stage(stored);
    }

    private static int stage(Alert a) {
        return AlertStatus.valueOf(a.getStatus().toUpperCase(Locale.ROOT)).ordinal();
    }

    static long hour(long epochMillis) {
        return Math.floorDiv(epochMillis, HOUR) * HOUR;
    }

    static int rank(String severity) {
        return Severity.fromCode(severity).map(Severity::ordinal).orElse(-1);
    }
}
