package lookout.notify;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Whether alert records stay on the topic for now: with a snapshot configured, until its area names have been read
 * once, or until {@code wait} has passed since the notifier started. Messages are sent once and never corrected,
 * so the first alerts of a fresh deployment would otherwise name their areas by id for good.
 */
final class NamesWait {
    private final BooleanSupplier namesRead;
    private final Clock clock;
    private final Instant deadline;
    private final String waiting;
    private final String gaveUp;
    private final Consumer<String> say;
    private boolean told;
    private boolean over;

    NamesWait(Path snapshot, BooleanSupplier namesRead, Duration wait, Clock clock, Consumer<String> say) {
        this.namesRead = namesRead;
        this.clock = clock;
        this.deadline = clock.instant().plus(wait);
        this.waiting = "waiting up to " + wait + " for the snapshot " + snapshot + " to name areas; alerts stay on"
                + " the topic until then";
        this.gaveUp = "no snapshot read at " + snapshot + " within " + wait + "; alerts name areas by id until one is"
                + " published";
        this.say = say;
    }

    /** Never holds: no snapshot is configured, areas are named by id. */
    static NamesWait none() {
        NamesWait none = new NamesWait(null, () -> true, Duration.ZERO, Clock.systemUTC(), line -> { });
        none.over = true;
        return none;
    }

    /** True while alert records are to stay on the topic; says once that it waits, and once if it gives up. */
    boolean holding() {
        if (over) {
            return false;
        }
        if (namesRead.getAsBoolean()) {
            over = true;
            return false;
        }
        if (!clock.instant().isBefore(deadline)) {
            over = true;
            say.accept(gaveUp);
            return false;
        }
        if (!told) {
            told = true;
            say.accept(waiting);
        }
        return true;
    }
}
