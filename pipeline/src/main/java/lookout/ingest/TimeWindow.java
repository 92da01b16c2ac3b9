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
    /**
     * Nothing later is plausible whatever the skew: its local day stays in year 9999 in every zone (offsets reach
     * 18 hours), which DuckDB's dates and every bucket need.
     */
    static final Instant LAST_PLAUSIBLE = Instant.parse("9999-12-30T00:00:00Z");

    private final Instant earliest;
    private final Duration futureSkew;
    private final Clock clock;

    public TimeWindow(Instant earliest, Duration futureSkew, Clock clock) {
        this.earliest = earliest;
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
            return ahead.isBefore(LAST_PLAUSIBLE) ? ahead : LAST_PLAUSIBLE;
        } catch (DateTimeException | ArithmeticException e) {
            // A skew of centuries is a strange setting, not a reason to fail: only the last plausible day bounds.
            return LAST_PLAUSIBLE;
        }
    }

    private static Rejection implausible(String field, Source source) {
        return new Rejection("implausible_timestamp:" + field, source);
    }
}
