package lookout.detect;

import java.util.Arrays;

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

import lookout.kernel.Signal;

/**
 * Since when, and until when, the job has watched each signal of the city: the configured
 * {@code detection.watching_since}, or without one the earliest event time it has seen of that signal; and the
 * latest event of any. Every area's history of a signal starts there, so an area whose first event comes weeks later
 * is judged against weeks of zeros rather than against nothing; at the end of a backfill, days are judged up to the
 * latest and not beyond, so the end of the data is not taken for quiet days that close the alerts still open then.
 *
 * <p>Each signal has a start of its own because each source's feed starts on its own: a streaming job's first
 * coroner reports are dated weeks before it started. One start for the city, moved back by them, gave every area of
 * every signal weeks of zeros the feeds never reported, and usual paramedic counts then looked like spikes. A
 * configured start is never moved by an event dated before it (a report weeks late, a replay of old data): moved,
 * it gave every area months of zeros.
 *
 * <p>Keyed by signal ({@link DetectionKeys#signal}), two values of state per key, checkpointed, so a restored job
 * keeps its starts. It emits only when a signal's period grows; the filter before it ({@link EarlierThanSeen})
 * passes on only earlier times and later hours. The detectors receive it as broadcast state ({@link #BROADCAST}); in
 * BATCH Flink reads a broadcast input whole before the keyed one, so a backfill's every area starts each signal at
 * the backfill's first event of that signal and knows the backfill's last.
 */
public final class WatchingSince extends KeyedProcessFunction<Byte, AreaEvent, WatchedPeriod> {
    private static final long serialVersionUID = 1L;
    /** The broadcast state's entry of a signal's start: this before the signal's code. */
    private static final String SINCE = "since:";
    /**
     * The entry of the one start for the whole city that builds before the starts by signal kept. A job restored
     * from their checkpoints keeps it as the earliest start of every signal: its areas' histories already reach it.
     */
    private static final String CITY = "city";
    private static final String UNTIL = "until";
    private static final long HOUR = 3_600_000L;
    private static final int SIGNALS = Signal.values().length;
    public static final MapStateDescriptor<String, Long> BROADCAST =
            new MapStateDescriptor<>("watching-since", Types.STRING, Types.LONG);

    private final long configured;
    private transient ValueState<Long> since;
    private transient ValueState<Long> until;

    /** @param configured the configured start (epoch ms), or {@link DetectionSettings#UNSET} */
    public WatchingSince(long configured) {
        this.configured = configured;
    }

    /** A detector's copy of the periods, on receiving one: a start only ever moves earlier, the end later. */
    static void remember(BroadcastState<String, Long> state, WatchedPeriod period) throws Exception {
        String entry = SINCE + DetectionKeys.signalOf(period.signal).code();
        Long known = state.get(entry);
        state.put(entry, known == null ? period.since : Math.min(known, period.since));
        Long end = state.get(UNTIL);
        state.put(UNTIL, end == null ? period.until : Math.max(end, period.until));
    }

    /** A signal's start as a detector knows it: the configured one, else the broadcast one, else UNSET. */
    static long known(ReadOnlyBroadcastState<String, Long> state, DetectionSettings settings, Signal signal)
            throws Exception {
        if (settings.watchingSince() != DetectionSettings.UNSET) {
            return settings.watchingSince();
        }
        Long own = state.get(SINCE + signal.code());
        Long city = state.get(CITY);
        long known = own == null ? DetectionSettings.UNSET : own;
        return city == null ? known : Math.min(known, city);
    }

    /**
     * The start a detector judges an event of {@code signal} by: the configured start, or else the broadcast start
     * or the earliest event of the signal this subtask of the detector has itself seen, whichever is earlier. The
     * subtask's own covers the moments before the first broadcast arrives, which in STREAMING travels a longer path
     * than the events it describes.
     */
    static long known(ReadOnlyBroadcastState<String, Long> state, DetectionSettings settings, Signal signal,
            long seenHere) throws Exception {
        long known = known(state, settings, signal);
        return settings.watchingSince() != DetectionSettings.UNSET ? known : Math.min(seenHere, known);
    }

    /** The latest event time a detector knows of, of any signal, or {@link Long#MAX_VALUE} before any. */
    static long until(ReadOnlyBroadcastState<String, Long> state) throws Exception {
        Long end = state.get(UNTIL);
        return end == null ? Long.MAX_VALUE : end;
    }

    /** The earliest event time a detector subtask has seen, by signal; not state (see {@link #known}). */
    static final class SeenHere {
        private final long[] earliest = new long[SIGNALS];

        SeenHere() {
            Arrays.fill(earliest, Long.MAX_VALUE);
        }

        /** Takes an event's time; returns the earliest of its signal seen so far. */
        long saw(Signal signal, long time) {
            int at = signal.ordinal();
            earliest[at] = Math.min(earliest[at], time);
            return earliest[at];
        }
    }

    /**
     * Passes on only events earlier than any of their signal this subtask has passed on, or in a later hour than
     * any, so the signal-keyed operator sees a few records an hour instead of every event. Not state: after a restore
     * it passes on its first times again, which {@link WatchingSince} ignores unless they grow a period.
     */
    public static final class EarlierThanSeen implements FilterFunction<AreaEvent> {
        private static final long serialVersionUID = 1L;
        /** Null until the first event (transient fields are not initialised when the function is deserialised). */
        private transient long[] earliest;
        private transient long[] latestHour;

        @Override
        public boolean filter(AreaEvent e) {
            if (earliest == null) {
                earliest = new long[SIGNALS];
                latestHour = new long[SIGNALS];
                Arrays.fill(earliest, Long.MAX_VALUE);
                Arrays.fill(latestHour, Long.MIN_VALUE);
            }
            int at = e.signalValue().ordinal();
            long time = e.minute();
            long hour = Math.floorDiv(time, HOUR);
            boolean earlier = time < earliest[at];
            boolean laterHour = hour > latestHour[at];
            earliest[at] = Math.min(earliest[at], time);
            latestHour[at] = Math.max(latestHour[at], hour);
            return earlier || laterHour;
        }
    }

    @Override
    public void open(OpenContext ctx) {
        since = getRuntimeContext().getState(new ValueStateDescriptor<>("since", Types.LONG));
        until = getRuntimeContext().getState(new ValueStateDescriptor<>("until", Types.LONG));
    }

    @Override
    public void processElement(AreaEvent e, Context ctx, Collector<WatchedPeriod> out) throws Exception {
        long time = e.minute();
        Long current = since.value();
        Long end = until.value();
        long start = configured != DetectionSettings.UNSET ? configured
                : Math.min(time, current == null ? configured : current);
        boolean grew = current == null || start < current || end == null || time > end;
        if (grew) {
            since.update(start);
            until.update(end == null ? time : Math.max(end, time));
            out.collect(WatchedPeriod.of(ctx.getCurrentKey(), start, until.value()));
        }
    }
}
