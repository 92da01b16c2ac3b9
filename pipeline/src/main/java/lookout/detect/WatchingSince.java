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
 * Since when the job has been watching the city: the earliest event time it has seen, or the configured
 * {@code detection.watching_since} if that is earlier. Every area's history starts there, so an area whose first
 * event comes weeks later is judged against weeks of zeros rather than against nothing.
 *
 * <p>One key ({@link #KEY}) and one value of state, checkpointed, so a restored job keeps its start. It emits only
 * when the start moves earlier: once at the first event, then only for an event older than any before. The
 * detectors receive it as broadcast state ({@link #BROADCAST}); in BATCH Flink reads a broadcast input whole
 * before the keyed one, so a backfill's every area starts at the backfill's first event.
 */
public final class WatchingSince extends KeyedProcessFunction<String, Long, Long> {
    private static final long serialVersionUID = 1L;
    public static final String KEY = "city";
    public static final MapStateDescriptor<String, Long> BROADCAST =
            new MapStateDescriptor<>("watching-since", Types.STRING, Types.LONG);

    private final long configured;
    private transient ValueState<Long> since;

    /** @param configured the configured start (epoch ms), or {@link DetectionSettings#UNSET} */
    public WatchingSince(long configured) {
        this.configured = configured;
    }

    /** A detector's copy of the start, on receiving one: only ever moves earlier. */
    static void remember(BroadcastState<String, Long> state, long since) throws Exception {
        Long known = state.get(KEY);
        state.put(KEY, known == null ? since : Math.min(known, since));
    }

    /** The start as a detector knows it: the broadcast one or the configured one, the earlier; else UNSET. */
    static long known(ReadOnlyBroadcastState<String, Long> state, DetectionSettings settings) throws Exception {
        Long broadcast = state.get(KEY);
        return Math.min(settings.watchingSince(), broadcast == null ? DetectionSettings.UNSET : broadcast);
    }

    /**
     * Passes on only event times earlier than any this subtask has passed on, so the one-key operator sees a
     * handful of records instead of every event. Not state: after a restore it passes on its first time again,
     * which {@link WatchingSince} ignores unless it is earlier.
     */
    public static final class EarlierThanSeen implements FilterFunction<Long> {
        private static final long serialVersionUID = 1L;
        /** Null until the first time (a transient field is not initialised when the function is deserialised). */
        private transient Long earliest;

        @Override
        public boolean filter(Long time) {
            if (earliest == null || time < earliest) {
                earliest = time;
                return true;
            }
            return false;
        }
    }

    @Override
    public void open(OpenContext ctx) {
        since = getRuntimeContext().getState(new ValueStateDescriptor<>("since", Types.LONG));
    }

    @Override
    public void processElement(Long time, Context ctx, Collector<Long> out) throws Exception {
        Long current = since.value();
        long start = Math.min(time, current == null ? configured : current);
        if (current == null || start < current) {
            since.update(start);
            out.collect(start);
        }
    }
}
