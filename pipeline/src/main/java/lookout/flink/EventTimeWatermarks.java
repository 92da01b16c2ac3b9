package lookout.flink;

import java.time.Duration;

import org.apache.flink.api.common.eventtime.BoundedOutOfOrdernessWatermarks;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkGeneratorSupplier;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.util.clock.RelativeClock;

/**
 * Event time of one source partition (a Kafka partition, a file range): the latest event time seen less the
 * out-of-orderness, set aside after a while without events as Flink's {@code withIdleness} does, with two
 * differences that keep one partition from holding back the whole job's event time, and with it every day's
 * verdict and every intraday alert held until the days before it are judged:
 * <ul>
 *   <li>A record without an event time (a dead letter: not JSON, an unknown source) is not activity. Counted as
 *       activity, a partition that received only dead letters (a broken publisher, the unrouted topic) held event
 *       time at its start for as long as they kept coming, and no day was judged again.
 *   <li>A partition that has had no event since it was assigned (an input topic nobody writes to, such as the
 *       unrouted topic of a deployment whose publishers all route) is set aside {@link #START_IDLENESS} after its
 *       reader (the source subtask) read its first event from any partition, not after the configured idleness:
 *       with the default minute, every start of the job held event time for its first minute. Waiting for the
 *       reader's first event keeps a slow start (a broker still electing leaders) from setting every partition
 *       aside before any could be read; while the reader has read none, the configured idleness applies.
 * </ul>
 */
public final class EventTimeWatermarks<T> implements WatermarkGenerator<T> {
    /** How long after its reader's first event a partition that has had none holds event time. */
    public static final Duration START_IDLENESS = Duration.ofSeconds(5);

    private final WatermarkGenerator<T> watermarks;
    private final long idleNanos;
    private final long startIdleNanos;
    private final RelativeClock clock;
    private final Reader reader;
    private final long assignedAt;
    /** Events seen, and as many when the last periodic emit looked: the hot path only counts, as Flink's does. */
    private long events;
    private long eventsAtLastEmit;
    /** When a periodic emit first saw the newest events. */
    private long lastEventAt;
    /** When this partition first saw that its reader had read an event, or -1 before. */
    private long readerStartedAt = -1;
    private boolean idle;

    /** Whether a source subtask has read an event from any of its partitions; shared by their generators. */
    public static final class Reader {
        private boolean readAnEvent;
    }

    /**
     * @param clock Flink's input activity clock, which stands still while the source is back-pressured, so a
     *              partition is not set aside for waiting on the job
     */
    public EventTimeWatermarks(Duration maxOutOfOrderness, Duration idleness, RelativeClock clock, Reader reader) {
        this.watermarks = new BoundedOutOfOrdernessWatermarks<>(maxOutOfOrderness);
        this.idleNanos = idleness.toNanos();
        this.startIdleNanos = Math.min(idleNanos, START_IDLENESS.toNanos());
        this.clock = clock;
        this.reader = reader;
        this.assignedAt = clock.relativeTimeNanos();
    }

    /**
     * The generators of each source subtask, which share one {@link Reader}. Flink deserialises the strategy for
     * each subtask, so the reader, created with the subtask's first generator, is that subtask's own.
     */
    public static <T> WatermarkGeneratorSupplier<T> supplier(Duration maxOutOfOrderness, Duration idleness) {
        return new WatermarkGeneratorSupplier<>() {
            private static final long serialVersionUID = 1L;
            private transient Reader reader;

            @Override
            public WatermarkGenerator<T> createWatermarkGenerator(Context context) {
                if (reader == null) {
                    reader = new Reader();
                }
                return new EventTimeWatermarks<>(maxOutOfOrderness, idleness, context.getInputActivityClock(), reader);
            }
        };
    }

    /** @param eventTimestamp the record's event time, or {@link Long#MIN_VALUE} for a record without one */
    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return;
        }
        events++;
        reader.readAnEvent = true;
        watermarks.onEvent(event, eventTimestamp, output);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (quiet(clock.relativeTimeNanos())) {
            if (!idle) {
                output.markIdle();
                idle = true;
            }
            return;
        }
        idle = false;
        watermarks.onPeriodicEmit(output);
    }

    private boolean quiet(long now) {
        if (events != eventsAtLastEmit) {
            eventsAtLastEmit = events;
            lastEventAt = now;
        }
        if (events > 0) {
            return now - lastEventAt > idleNanos;
        }
        if (readerStartedAt < 0 && reader.readAnEvent) {
            readerStartedAt = now;
        }
        return now - assignedAt > idleNanos || (readerStartedAt >= 0 && now - readerStartedAt > startIdleNanos);
    }
}
