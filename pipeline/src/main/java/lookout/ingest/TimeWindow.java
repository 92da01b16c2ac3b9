package lookout.ingest;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

import lookout.config.PlausibleTimes;

/**
 * The plausible span of event times: from a configured earliest instant to a little ahead of the clock, and always
 * within {@link PlausibleTimes}, so no later operator can fail on one.
 */
public final class TimeWindow {
    private final Instant earliest;
    private final Duration futureSkew;
    private final Clock clock;

    public TimeWindow(Instant earliest, Duration futureSkew, Clock clock) {
        this.earliest = earliest.isBefore(PlausibleTimes.FIRST) ? PlausibleTimes.FIRST : earliest;
        this.futureSkew = futureSkew;
        this.clock = clock;
    }

    /**
     * Checks both times of a record. reported_at has the same upper bound as occurred_at: its day is a column of
     * the reporting triangle and the nowcast's "as of" day, so one typo far ahead would move both.
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
        if (reported.isAfter(latest())) {
            throw new Rejection("reported_in_future", source);
        }
    }

    private Instant latest() {
        try {
            Instant ahead = clock.instant().plus(futureSkew);
            // Nothing later is plausible whatever the skew.
            return ahead.isBefore(PlausibleTimes.LAST) ? ahead : PlausibleTimes.LAST;
        } catch (DateTimeException | ArithmeticException e) {
            // A skew of centuries is a strange setting, not a reason to fail: only the last plausible day bounds.
            return PlausibleTimes.LAST;
        }
    }

    private static Rejection implausible(String field, Source source) {
        return new Rejection("implausible_timestamp:" + field, source);
    }
}
