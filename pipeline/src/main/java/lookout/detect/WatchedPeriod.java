package lookout.detect;

import java.util.Objects;

/**
 * The span of event time the job has watched the city: {@code since} its earliest event (or the configured start),
 * {@code until} its latest event. What {@link WatchingSince} broadcasts to the detectors. A Flink POJO.
 */
public final class WatchedPeriod {
    public long since;
    public long until;

    public WatchedPeriod() {}

    public static WatchedPeriod of(long since, long until) {
        WatchedPeriod p = new WatchedPeriod();
        p.since = since;
        p.until = until;
        return p;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WatchedPeriod p && p.since == since && p.until == until;
    }

    @Override
    public int hashCode() {
        return Objects.hash(since, until);
    }

    @Override
    public String toString() {
        return "[" + since + ", " + until + "]";
    }
}
