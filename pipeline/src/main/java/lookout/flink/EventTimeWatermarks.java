package lookout.flink;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarksWithIdleness;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Event time of one source partition (a Kafka partition, a file range): the latest event time seen less the
 * out-of-orderness, set aside after a while without records as Flink's {@code withIdleness} does, with two
 * differences that keep one partition from holding back the whole job's event time, and with it every day's
 * verdict and every intraday alert held until the days before it are judged:
 * <ul>
 *   <li>A record without an event time (a dead letter: not JSON, an unknown source) is not activity. Counted as
 *       activity, a partition that received only dead letters (a broken publisher, the unrouted topic) held event
 *       time at its start for as long as they kept coming, and no day was judged again.
 *   <li>A partition that has had no record with an event time since this generator started (an input topic that
 *       nobody writes to, such as the unrouted topic of a deployment whose publishers all route) is set aside after
 *       {@link #START_IDLENESS}, not after the configured idleness: with the default minute, every start of the job
 *       held event time for its first minute, and the demo's first alert came a minute after its last record.
 *       A partition with records delivers its first within a second of its reader's first fetch, which takes every
 *       partition of the reader at once, so the shorter wait sets none of them aside.
 * </ul>
 */
public final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {
    /** How long a partition without any record with an event time holds event time after the generator starts. */
    public static final Duration START_IDLENESS = Duration.ofSeconds(5);

    private final WatermarksWithIdleness<T> beforeFirstEvent;
    private final WatermarksWithIdleness<T> afterFirstEvent;
    private boolean seenEvent;

    /**
     * @param clock Flink's input activity clock, which stands still while the source is back-pressured, so a
     *              partition is not set aside for waiting on the job
     */
    public EventTimeWatermarks(Duration maxOutOfOrderness, Duration idleness, RelativeClock clock) {
        WatermarkGenerator<T> watermarks = new BoundedOutOfOrdernessWatermarks<>(maxOutOfOrderness);
        Duration start = idleness.compareTo(START_IDLENESS) < 0 ? idleness : START_IDLENESS;
        this.beforeFirstEvent = new WatermarksWithIdleness<>(watermarks, start, clock);
        this.afterFirstEvent = new WatermarksWithIdleness<>(watermarks, idleness, clock);
    }

    /** @param eventTimestamp the record's event time, or {@link Long#MIN_VALUE} for a record without one */
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return;
        }
        seenEvent = true;
        afterFirstEvent.onEvent(event, eventTimestamp, output);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        (seenEvent ? afterFirstEvent : beforeFirstEvent).onPeriodicEmit(output);
    }
}
