package lookout.detect;

import java.util.Objects;

/**
 * The span of event time the job has watched one signal of the city: {@code since} that signal's earliest event (or
 * the configured start), {@code until} its latest event. What {@link WatchingSince} broadcasts to the detectors.
 * {@code signal} is the signal's key ({@link DetectionKeys#signal}). A Flink POJO.
 */
public final class WatchedPeriod {
    public byte signal;
    public long since;
    public long until;

    public WatchedPeriod() {}

    public static WatchedPeriod of(byte signal, long since, long until) {
        WatchedPeriod p = new WatchedPeriod();
        p.signal = signal;
        p.since = since;
        p.until = until;
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatchedPeriod p && p.signal == signal && p.since == since && p.until == until;
    }

    @Override
    public int hashCode() {
        return Objects.hash(signal, since, until);
    }

    @Override
    public String toString() {
        return DetectionKeys.signalOf(signal).code() + "[" + since + ", " + until + "]";
    }
}
