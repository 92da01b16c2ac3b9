package lookout.flink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.ManualClock;
import org.junit.jupiter.api.Test;

/**
 * One partition's event time, driven as Flink's source drives it: a periodic emit every 200 ms of the input activity
 * clock, records in between. Out-of-orderness 5 minutes, idleness a minute, as shipped.
 */
class EventTimeWatermarksTest {
    private static final long EMIT_MS = 200;
    private static final long OUT_OF_ORDER_MS = Duration.ofMinutes(5).toMillis();
    private static final long NOON = 1_764_936_000_000L;

    private final ManualClock clock = new ManualClock(1_000_000_000L);
    private final Output output = new Output();
    private final EventTimeWatermarks<String> partition =
            new EventTimeWatermarks<>(Duration.ofMinutes(5), Duration.ofMinutes(1), clock);

    /** What the partition last told its source: "idle", or its watermark. */
    private static final class Output implements WatermarkOutput {
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
    }

    /** Periodic emits over {@code millis}, with a dead letter (a record without an event time) before each. */
    private void run(long millis, boolean deadLetters) {
        for (long t = 0; t < millis; t += EMIT_MS) {
            if (deadLetters) {
                partition.onEvent("not json", Long.MIN_VALUE, output);
            }
            partition.onPeriodicEmit(output);
            clock.advanceTime(EMIT_MS, TimeUnit.MILLISECONDS);
        }
        partition.onPeriodicEmit(output);
    }

    private static String heldAt(long eventTime) {
        return Long.toString(eventTime - OUT_OF_ORDER_MS - 1);
    }

    @Test
    void aPartitionWithoutAnyRecordIsSetAsideAfterFiveSecondsNotAMinute() {
        run(4_800, false);
        assertEquals(Long.toString(Long.MIN_VALUE), output.last, "holds event time at its start for now");
        run(400, false);
        assertEquals("idle", output.last);
    }

    @Test
    void deadLettersAloneDoNotHoldEventTime() {
        run(5_200, true);
        assertEquals("idle", output.last, "before any event: set aside as if empty, however many dead letters come");

        partition.onEvent("a call", NOON, output);
        run(59_600, true);
        assertEquals(heldAt(NOON), output.last, "an event: the configured minute from then");
        run(800, true);
        assertEquals("idle", output.last, "dead letters a minute on: set aside; counted as records, never");
    }

    @Test
    void aPartitionThatHadAnEventWaitsTheConfiguredIdlenessAndComesBackWithTheNext() {
        partition.onEvent("a call", NOON, output);
        run(59_600, false);
        assertEquals(heldAt(NOON), output.last);
        run(800, false);
        assertEquals("idle", output.last);

        partition.onEvent("a later call", NOON + 60_000, output);
        partition.onPeriodicEmit(output);
        assertEquals(heldAt(NOON + 60_000), output.last);
    }

    @Test
    void aConfiguredIdlenessShorterThanFiveSecondsAlsoShortensTheStart() {
        EventTimeWatermarks<String> quick = new EventTimeWatermarks<>(Duration.ofMinutes(5), Duration.ofSeconds(2), clock);
        for (long t = 0; t <= 2_200; t += EMIT_MS) {
            quick.onPeriodicEmit(output);
            clock.advanceTime(EMIT_MS, TimeUnit.MILLISECONDS);
        }
        assertEquals("idle", output.last);
    }
}
