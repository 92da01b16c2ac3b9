package lookout.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * The partitions of one reader, driven as Flink's source drives them: a periodic emit every 200 ms of the input
 * activity clock, records in between. Out-of-orderness 5 minutes, idleness a minute, as shipped.
 */
class EventTimeWatermarksTest {
    private static final long EMIT_MS = 200;
    private static final long OUT_OF_ORDER_MS = Duration.ofMinutes(5).toMillis();
    private static final long NOON = 1_764_936_000_000L;
    private static final String AT_START = Long.toString(Long.MIN_VALUE);

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final EventTimeWatermarks.Reader reader = new EventTimeWatermarks.Reader();
    private final Partition calls = new Partition();
    private final Partition unrouted = new Partition();

    /** One partition's generator and what it last told its source: "idle", or its watermark. */
    private final class Partition implements WatermarkOutput {
        final EventTimeWatermarks<String> generator =
                new EventTimeWatermarks<>(Duration.ofMinutes(5), Duration.ofMinutes(1), clock, reader);
        String last = "nothing";

        @Override
        public void emitWatermark(Watermark watermark) {
            last = Long.toString(watermark.getTimestamp());
        }

        @Override
        public void markIdle() {
            last = "idle";
        }

        @Override
        public void markActive() {}

        void event(long eventTime) {
            generator.onEvent("an event", eventTime, this);
        }

        void deadLetter() {
            generator.onEvent("not json", Long.MIN_VALUE, this);
        }
    }

    /** Periodic emits of both partitions over {@code millis}, with a dead letter to the unrouted one before each. */
    private void run(long millis, boolean deadLetters) {
        for (long t = 0; t < millis; t += EMIT_MS) {
            if (deadLetters) {
                unrouted.deadLetter();
            }
            calls.generator.onPeriodicEmit(calls);
            unrouted.generator.onPeriodicEmit(unrouted);
            clock.advanceTime(EMIT_MS, TimeUnit.MILLISECONDS);
        }
        calls.generator.onPeriodicEmit(calls);
        unrouted.generator.onPeriodicEmit(unrouted);
    }

    private static String heldAt(long eventTime) {
        return Long.toString(eventTime - OUT_OF_ORDER_MS - 1);
    }

    @Test
    void aPartitionWithoutAnEventIsSetAsideFiveSecondsAfterItsReadersFirstNotAMinute() {
        run(1_000, false);
        calls.event(NOON);
        run(4_800, false);
        assertEquals(AT_START, unrouted.last, "holds event time at the start for now");
        assertEquals(heldAt(NOON), calls.last);
        run(400, false);
        assertEquals("idle", unrouted.last);
        assertEquals(heldAt(NOON), calls.last);
    }

    /** A broker slow to answer at the start: no partition is set aside before any could be read. */
    @Test
    void whileItsReaderHasReadNoEventAPartitionWaitsTheConfiguredIdleness() {
        run(59_600, false);
        assertEquals(AT_START, unrouted.last);
        assertEquals(AT_START, calls.last);
        run(800, false);
        assertEquals("idle", unrouted.last);
        assertEquals("idle", calls.last);

        calls.event(NOON);
        run(200, false);
        assertEquals(heldAt(NOON), calls.last, "its first event brings a partition back");
        assertEquals("idle", unrouted.last, "a partition set aside is not brought back by another's");
    }

    @Test
    void deadLettersAreNotActivity() {
        calls.event(NOON);
        run(5_200, true);
        assertEquals("idle", unrouted.last, "before any event: set aside as if empty, however many dead letters come");

        unrouted.event(NOON);
        run(59_600, true);
        assertEquals(heldAt(NOON), unrouted.last, "an event: the configured minute from then");
        run(800, true);
        assertEquals("idle", unrouted.last, "dead letters a minute on: set aside; counted as records, never");
    }

    @Test
    void aPartitionThatHadAnEventWaitsTheConfiguredIdlenessAndComesBackWithTheNext() {
        calls.event(NOON);
        run(59_600, false);
        assertEquals(heldAt(NOON), calls.last);
        run(800, false);
        assertEquals("idle", calls.last);

        calls.event(NOON + 60_000);
        calls.generator.onPeriodicEmit(calls);
        assertEquals(heldAt(NOON + 60_000), calls.last);
    }

    @Test
    void aConfiguredIdlenessShorterThanFiveSecondsAlsoShortensTheStart() {
        EventTimeWatermarks<String> quick = new EventTimeWatermarks<>(Duration.ofMinutes(5), Duration.ofSeconds(2),
                clock, reader);
        Partition output = new Partition();
        for (long t = 0; t <= 2_200; t += EMIT_MS) {
            quick.onPeriodicEmit(output);
            clock.advanceTime(EMIT_MS, TimeUnit.MILLISECONDS);
        }
        assertEquals("idle", output.last);
    }
}
