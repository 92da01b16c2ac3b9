package lookout.notify;

import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import lookout.kernel.AlertStatus;
import lookout.kernel.Severity;
import lookout.schema.Alert;

/**
 * Turns the alert snapshots of {@code lookout.alerts} (opened, updated ..., closed; at least once, so repeated)
 * into the steps people are told about: opened, worsened (the severity rose above any step told before) and
 * closed (the all-clear); and counted, once, when an alert that opened below k events first has a count, which only
 * the public feeds and the numbers that texted JOIN are told ({@link AlertStep.Kind#COUNTED}). Other updates say
 * nothing new and make no step. A snapshot of a spike first seen when already closed makes none either: nobody was
 * told it opened.
 */
public final class Lifecycle {
    /** How long an open alert may go without a snapshot before {@link #openSteps} leaves it out. */
    static final Duration STALE_AFTER = Duration.ofDays(7);
    /**
     * Per spike: the highest severity told so far, whether a step had a count (at least k events) and whether the
     * all-clear was given.
     */
    private record State(Severity told, boolean counted, boolean closed) {}

    private final Map<String, State> spikes = new HashMap<>();
    /** The latest step of every alert not closed yet. */
    private final Map<String, AlertStep> open = new LinkedHashMap<>();
    /** Per alert not closed yet: the time of its latest snapshot or step (the job's time, epoch ms). */
    private final Map<String, Long> lastSeen = new HashMap<>();
    /** The time of the latest snapshot or step of any alert: the job's now, as far as the notifier knows it. */
    private long newest;

    /** Notes that a snapshot came, whether or not it makes a step. */
    public void saw(Alert alert) {
        newest = Math.max(newest, alert.getUpdatedAt());
        if (open.containsKey(alert.getSpikeId())) {
            lastSeen.merge(alert.getSpikeId(), alert.getUpdatedAt(), Math::max);
        }
    }

    /** The step this snapshot makes, if any; the state moves on only through {@link #take}. */
    public Optional<AlertStep> next(Alert alert) {
        Severity severity = Severity.fromCode(alert.getSeverity()).orElse(Severity.LOW);
        State state = spikes.get(alert.getSpikeId());
        boolean closing = AlertStatus.CLOSED.code().equals(alert.getStatus()) || alert.getClosedAt() != null;
        if (state == null) {
            return closing ? Optional.empty() : Optional.of(AlertStep.of(alert, AlertStep.Kind.OPENED, severity));
        }
        if (state.closed()) {
            return Optional.empty();
        }
        if (closing) {
            return Optional.of(AlertStep.of(alert, AlertStep.Kind.CLOSED, state.told()));
        }
        if (severity.compareTo(state.told()) > 0) {
            return Optional.of(AlertStep.of(alert, AlertStep.Kind.WORSENED, severity));
        }
        if (!state.counted() && alert.getObserved() != null) {
            return Optional.of(AlertStep.of(alert, AlertStep.Kind.COUNTED, state.told()));
        }
        return Optional.empty();
    }

    /** Records that a step was taken (from the journal on start, or once its messages are final). */
    public void take(AlertStep step) {
        State state = spikes.get(step.spikeId());
        Severity told = state == null || step.severity().compareTo(state.told()) > 0 ? step.severity() : state.told();
        boolean closed = step.kind() == AlertStep.Kind.CLOSED;
        boolean counted = state != null && state.counted() || step.observed() != null;
        spikes.put(step.spikeId(), new State(told, counted, closed));
        if (closed) {
            open.remove(step.spikeId());
            lastSeen.remove(step.spikeId());
        } else {
            open.put(step.spikeId(), step);
            lastSeen.merge(step.spikeId(), step.at(), Math::max);
        }
        newest = Math.max(newest, step.at());
    }

    /**
     * The latest step of every alert still open, the oldest alert first; but not one without a snapshot in the
     * {@link #STALE_AFTER} before the latest snapshot of any alert. The job updates an open alert while it fires and
     * closes it after two quiet days, so such an alert is one the job no longer tracks (its state was dropped), and
     * not news to tell anyone. Nor one without a snapshot since {@code seenSince} (the job's time, epoch ms): an
     * alert a job catching up on a backlog has not yet brought to the present is not news yet.
     */
    public List<AlertStep> openSteps(long seenSince) {
        long since = Math.max(newest - STALE_AFTER.toMillis(), seenSince);
        return open.values().stream().filter(step -> lastSeen.get(step.spikeId()) >= since)
                .sorted(Comparator.comparingLong(AlertStep::openedAt)).toList();
    }
}
