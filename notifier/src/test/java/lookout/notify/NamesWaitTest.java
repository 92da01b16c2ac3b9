package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

/** Alerts wait for the snapshot's area names, for a bounded time, and say so once. */
class NamesWaitTest {
    private final DispatcherTest.MovableClock clock = new DispatcherTest.MovableClock(Instant.parse("2026-11-03T17:00:00Z"));
    private final AtomicBoolean namesRead = new AtomicBoolean();
    private final List<String> said = new ArrayList<>();
    private final NamesWait wait = new NamesWait(Path.of("data/lookout.duckdb"), namesRead::get, Duration.ofMinutes(3),
            clock, said::add);

    @Test
    void holdsUntilTheNamesAreReadAndSaysSoOnce() {
        assertTrue(wait.holding());
        clock.advance(Duration.ofSeconds(179));
        assertTrue(wait.holding());
        namesRead.set(true);
        assertFalse(wait.holding());
        clock.advance(Duration.ofMinutes(10));
        assertFalse(wait.holding());
        assertEquals(List.of("waiting up to PT3M for the snapshot data/lookout.duckdb to name areas; alerts stay on the"
                + " topic until then"), said);
    }

    @Test
    void givesUpAfterTheWaitSaysSoOnceAndDoesNotHoldAgain() {
        assertTrue(wait.holding());
        assertTrue(wait.holding());
        clock.advance(Duration.ofMinutes(3));
        assertFalse(wait.holding());
        assertFalse(wait.holding());
        assertEquals(List.of("waiting up to PT3M for the snapshot data/lookout.duckdb to name areas; alerts stay on the"
                + " topic until then", "no snapshot read at data/lookout.duckdb within PT3M; alerts name areas by id"
                + " until one is published"), said);
    }

    @Test
    void namesAlreadyReadMeanNoWaitAndNoLine() {
        namesRead.set(true);
        assertFalse(wait.holding());
        assertEquals(List.of(), said);
        assertFalse(NamesWait.none().holding());
    }
}
