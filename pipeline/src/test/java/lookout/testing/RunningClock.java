package lookout.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A clock that runs from {@code present} as the system's does: for code that compares data's times with now. */
public final class RunningClock {
    private RunningClock() {}

    public static Clock at(Instant present) {
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), present));
    }
}
