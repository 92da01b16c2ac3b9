package lookout.ingest;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * The plausible span of event times: from a configured earliest instant to a little ahead of the clock.
 * Everything after ingest (minute truncation, hour and day buckets, DuckDB timestamps) can then assume
 * times that fit a long of epoch milliseconds and a four-digit year, so no later operator can fail on one.
 */
public final class TimeWindow {
    private final Instant earliest;
    private final Duration futureSkew;
    private final Clock clock;

    public TimeWindow(Instant earliest, Duration futureSkew, Clock clock) {
        this.earliest = earliest;
        this.futureSkew = futureSkew;
        this.clock = clock;
    }

    /**
     * Checks both times of a record. reported_at has no upper bound of its own: it places nothing in time, and
     * it must not precede occurred_at, which does have one.
     */
    public void check(Instant occurred, Instant reported, Source source) throws Rejection {
        if (occurred.isBefore(earliest)) {
            throw implausible("occurred_at", source);
        }
        if (occurred.isAfter(latest())) {
            throw new Rejection("occurred_in_future", source);
        }
        if (reported.isBefore(earliest)) {
            throw implausible("reported_at", source);
        }
        if (reported.isBefore(occurred)) {
            throw new Rejection("reported_before_occurred", source);
        }
    }

    private Instant latest() {
        try {
            return clock.instant().plus(futureSkew);
        } catch (DateTimeException | ArithmeticException e) {
            // A skew of centuries is a strange setting, not a reason to fail: nothing is then too far ahead.
            return Instant.MAX;
        }
    }

    private static Rejection implausible(String field, Source source) {
        return new Rejection("implausible_timestamp:" + field, source);
    }
}
