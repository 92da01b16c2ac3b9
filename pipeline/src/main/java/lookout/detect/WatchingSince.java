package lookout.detect;

import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Since when, and until when, the job has watched the city: the configured {@code detection.watching_since}, or
 * without one the earliest event time it has seen; and the latest. Every area's history starts there, so an area
 * whose first event comes weeks later is judged against weeks of zeros rather than against nothing; at the end of a
 * backfill, days are judged up to the latest and not beyond, so the end of the data is not taken for quiet days
 * that close the alerts still open then. A configured start is never moved by an event dated before it (a report
 * weeks late, a replay of old data): moved, it gave every area months of zeros, and their usual counts looked like
 * spikes across the city.
 *
 * <p>One key ({@link DetectionKeys#CITY}) and two values of state, checkpointed, so a restored job keeps its start.
 * It emits only when the period grows; the filter before it ({@link EarlierThanSeen}) passes on only earlier times and later
 * hours. The detectors receive it as
 * broadcast state ({@link #BROADCAST}); in BATCH Flink reads a broadcast input whole before the keyed one, so a
 * backfill's every area starts at the backfill's first event and knows its last.
 */
public final class WatchingSince extends KeyedProcessFunction<Byte, Long, WatchedPeriod> {
    private static final long serialVersionUID = 1L;
    /** The broadcast state's entry of the start. */
    private static final String SINCE = "city";
    private static final String UNTIL = "until";
    private static final long HOUR = 3_600_000L;
    public static final MapStateDescriptor<String, Long> BROADCAST =
            new MapStateDescriptor<>("watching-since", Types.STRING, Types.LONG);

    private final long configured;
    private transient ValueState<Long> since;
    private transient ValueState<Long> until;

    /** @param configured the configured start (epoch ms), or {@link DetectionSettings#UNSET} */
    public WatchingSince(long configured) {
        this.configured = configured;
    }

    /** A detector's copy of the period, on receiving one: the start only ever moves earlier, the end later. */
    static void remember(BroadcastState<String, Long> state, WatchedPeriod period) throws Exception {
        Long known = state.get(SINCE);
        state.put(SINCE, known == null ? period.since : Math.min(known, period.since));
        Long end = state.get(UNTIL);
        state.put(UNTIL, end == null ? period.until : Math.max(end, period.until));
    }

    /** The start as a detector knows it: the configured one, else the broadcast one, else UNSET. */
    static long known(ReadOnlyBroadcastState<String, Long> state, DetectionSettings settings) throws Exception {
        if (settings.watchingSince() != DetectionSettings.UNSET) {
            return settings.watchingSince();
        }
        Long broadcast = state.get(SINCE);
        return broadcast == null ? DetectionSettings.UNSET : broadcast;
    }

    /**
     * The start a detector judges an event by: the configured start, or else the broadcast start or the earliest
     * event this subtask of the detector has itself seen, whichever is earlier. The subtask's own covers the moments
     * before the first broadcast arrives, which in STREAMING travels a longer path than the events it describes.
     */
    static long known(ReadOnlyBroadcastState<String, Long> state, DetectionSettings settings, long seenHere)
            throws Exception {
        long known = known(state, settings);
        return settings.watchingSince() != DetectionSettings.UNSET ? known : Math.min(seenHere, known);
    }

    /** The latest event time a detector knows of, or {@link Long#MAX_VALUE} before any. */
    static long until(ReadOnlyBroadcastState<String, Long> state) throws Exception {
        Long end = state.get(UNTIL);
        return end == null ? Long.MAX_VALUE : end;
    }

    /**
     * Passes on only event times earlier than any this subtask has passed on, or in a later hour than any, so the
     * one-key operator sees a few records an hour instead of every event. Not state: after a restore it passes on
     * its first time again, which {@link WatchingSince} ignores unless it grows the period.
     */
    public static final class EarlierThanSeen implements FilterFunction<Long> {
        private static final long serialVersionUID = 1L;
        /** Null until the first time (transient fields are not initialised when the function is deserialised). */
        private transient Long earliest;
        private transient Long latestHour;

        @Override
        public boolean filter(Long time) {
            long hour = Math.floorDiv(time, HOUR);
            boolean earlier = earliest == null || time < earliest;
            boolean laterHour = latestHour == null || hour > latestHour;
            if (earlier) {
                earliest = time;
            }
            if (laterHour) {
                latestHour = hour;
            }
            return earlier || laterHour;
        }
    }

    @Override
    public void open(OpenContext ctx) {
        since = getRuntimeContext().getState(new ValueStateDescriptor<>("since", Types.LONG));
        until = getRuntimeContext().getState(new ValueStateDescriptor<>("until", Types.LONG));
    }

    @Override
    public void processElement(Long time, Context ctx, Collector<WatchedPeriod> out) throws Exception {
        Long current = since.value();
        Long end = until.value();
        long start = configured != DetectionSettings.UNSET ? configured
                : Math.min(time, current == null ? configured : current);
        boolean grew = current == null || start < current || end == null || time > end;
        if (grew) {
            since.update(start);
            until.update(end == null ? time : Math.max(end, time));
            out.collect(WatchedPeriod.of(start, until.value()));
        }
    }
}
