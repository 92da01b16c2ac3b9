package lookout.detect;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.schema.DeidentifiedEvent;

/**
 * A signal's reporting delays in the running job (key: {@link DetectionKeys#signal}), so that alerts can say how many
 * reports are still to come (the writer estimates the same delays for the {@code nowcasts} table from
 * {@code reporting_delays}, which the job's detectors cannot read). Each event with a report time adds one to its cell: the local day it
 * occurred by its delay in days, as {@code DelayIncrements} counts them. At the end of each day a report was made on
 * (an event-time timer, so once the watermark has passed it; in BATCH all at the end of the input, in order) it
 * emits the signal's {@link ReportingShares} as of that day, estimated by {@link ReportingDelays}.
 *
 * <p>The shares as of a day count only the reports made by its end, however far the watermark jumps at once (a
 * replayed history): each delay is kept apart up to the window's length, so the delays of a day's age or less are
 * exactly the reports made by then.
 *
 * <p>State: one array of {@link ReportingDelays#WINDOW_DAYS} counts (by delay) per occurrence day of the last
 * {@link ReportingDelays#WINDOW_DAYS} days, and the latest as-of day: bounded by window × window, never by events.
 */
public final class ReportingDelayWatch extends KeyedProcessFunction<Byte, DeidentifiedEvent, ReportingShares> {
    private static final long serialVersionUID = 1L;
    /**
     * Delays told apart in state: every delay an emission can count (up to the window's oldest day's age), not only
     * those {@link ReportingDelays} tells apart. Lumped into its last cell, a report made after the as-of day of a
     * death 91 days old or more would count as in, when the watermark jumped past that day after the report came.
     */
    private static final int DELAYS = ReportingDelays.WINDOW_DAYS;

    private final ZoneId zone;
    /** Occurrence epoch day to its reports by delay in days (rows checkpointed before may be shorter). */
    private transient MapState<Long, long[]> cells;
    private transient ValueState<Long> asOf;

    public ReportingDelayWatch(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void open(OpenContext ctx) {
        cells = getRuntimeContext().getMapState(new MapStateDescriptor<>("delays", Types.LONG,
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        asOf = getRuntimeContext().getState(new ValueStateDescriptor<>("as-of", Types.LONG));
    }

    @Override
    public void processElement(DeidentifiedEvent e, Context ctx, Collector<ReportingShares> out) throws Exception {
        Long reportedMinute = e.getReportedMinute();
        if (reportedMinute == null) {
            return;
        }
        DayClock clock = new DayClock(zone);
        long occurred = clock.dayOf(e.getOccurredMinute());
        long reported = clock.dayOf(reportedMinute);
        Long latest = asOf.value();
        // A report made when its day has left the window never counts, and sends no shares of its day: dropped
        // whatever the as-of day, which lags when the watermark has yet to jump past a replayed history.
        if (reported - occurred >= ReportingDelays.WINDOW_DAYS
                || latest != null && occurred <= latest - ReportingDelays.WINDOW_DAYS) {
            return;
        }
        long[] row = cells.get(occurred);
        if (row == null) {
            row = new long[DELAYS];
        } else if (row.length < DELAYS) {
            row = Arrays.copyOf(row, DELAYS);
        }
        row[(int) Math.max(0, reported - occurred)]++;
        cells.put(occurred, row);
        ctx.timerService().registerEventTimeTimer(clock.endOf(reported));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReportingShares> out) throws Exception {
        long day = new DayClock(zone).dayOf(timestamp);
        Long latest = asOf.value();
        if (latest != null && day <= latest) {
            return;
        }
        asOf.update(day);
        ReportingDelays delays = new ReportingDelays(ReportingDelays.MAX_DELAY_DAYS, ReportingDelays.WINDOW_DAYS);
        List<Long> old = new ArrayList<>();
        for (Map.Entry<Long, long[]> c : cells.entries()) {
            long age = day - c.getKey();
            if (age >= ReportingDelays.WINDOW_DAYS) {
                old.add(c.getKey());
                continue;
            }
            for (int delay = 0; delay < c.getValue().length && delay <= age; delay++) {
                // Reports made after the as-of day (in BATCH, the timers of earlier days fire after every event)
                // were not in by then: the cells of delays beyond the day's age are left out.
                if (c.getValue()[delay] > 0) {
                    delays.add((int) age, delay, c.getValue()[delay]);
                }
            }
        }
        for (Long d : old) {
            cells.remove(d);
        }
        String signal = DetectionKeys.signalOf(ctx.getCurrentKey()).code();
        out.collect(ReportingShares.of(signal, day, delays.shareReported()));
    }
}
