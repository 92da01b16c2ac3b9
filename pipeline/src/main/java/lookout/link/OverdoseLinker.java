package lookout.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.aggregate.BatchTies;
import lookout.aggregate.CountedEvent;
import lookout.aggregate.Key128;
import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

/**
 * The "combined" signal: one overdose seen by a paramedic and by a naloxone program is counted once. Keyed by
 * pseudonym, a paramedic call and a naloxone report of the same person whose times are at most {@code window}
 * apart are linked; each report links at most once. A report is counted (emitted) when the linker takes it,
 * unless an unlinked report of the other source is waiting, so the pair counts once whatever the order, at the
 * area and time of the report taken first. State holds only the minutes of unlinked reports per person, and an
 * event-time timer drops each one once the watermark is {@code window + maxReportDelay} past it: a report
 * arriving after that is counted on its own. The delay allowance is what makes linkage independent of how the
 * paramedic and naloxone topics happen to interleave: naloxone reports routinely arrive a day or more after the
 * call, when the watermark has moved on.
 *
 * <p>In STREAMING a report is taken as it arrives, so the pair is counted at once. In BATCH each person's reports
 * come sorted by time, but reports of the same minute come in no fixed order (it changes with the input's order,
 * the subtasks' interleaving and the run's dedupe keys), and which of them is taken first decides the area of a
 * combined cell. So in BATCH a report waits in keyed state ({@code pending-by-minute}) for an event-time timer at
 * its minute; a key's timers fire in time order once its input is done, and each minute's reports are taken in
 * {@link #TIE_ORDER}: the streaming rule with ties broken by where the reports count, so a backfill gives the same
 * cells in every run. BATCH needs no expiry: reports are taken in time order, so one beyond the window is never
 * taken, and Flink drops a key's state once its input is done (it would also ignore, with a warning, a timer
 * registered while the key's timers fire).
 *
 * <p>A report reaches the linker as a {@link LinkReport}: the person's key, its source, and its area and minutes.
 * The pseudonym goes no further than this operator: it emits {@link CountedEvent}s of signal "combined", which
 * have no field for one.
 */
public final class OverdoseLinker
        extends KeyedProcessFunction<Tuple2<Long, Long>, LinkReport, CountedEvent> {
    private static final long serialVersionUID = 1L;

    /**
     * How reports of one person and one minute are taken in BATCH: paramedic calls first, so a tied pair counts
     * where the call was; then by area and reported minute, where a report taken counts (never by a keyed hash,
     * which an ephemeral key changes every run). Reports of one source equal in both leave the same cells and the
     * same minute waiting whichever is taken first, so the order needs nothing more.
     */
    static final Comparator<LinkReport> TIE_ORDER = Comparator
            .comparing(LinkReport::isNaloxone)
            .thenComparing(LinkReport::area)
            .thenComparingLong(LinkReport::reportedMinute);

    private final long windowMs;
    private final long retentionMs;
    private final boolean batch;
    private transient ListState<Long> waitingParamedic;
    private transient ListState<Long> waitingNaloxone;
    /** BATCH only: reports by minute, until the timer at their minute takes them in {@link #TIE_ORDER}. */
    private transient MapState<Long, List<LinkReport>> pendingByMinute;

    /** @param mode STREAMING takes each report as it arrives; BATCH takes one minute's reports in a fixed order */
    public OverdoseLinker(Duration window, Duration maxReportDelay, RuntimeExecutionMode mode) {
        if (window.isNegative() || maxReportDelay.isNegative()) {
            throw new IllegalArgumentException("linkage window and report delay must not be negative");
        }
        this.windowMs = window.toMillis();
        this.retentionMs = windowMs + maxReportDelay.toMillis();
        this.batch = BatchTies.isBatch(mode, "the linker");
    }

    /**
     * The combined signal from deduplicated de-identified events: events of the sources it is counted from
     * ({@link Signal#countedFrom}, paramedic and naloxone) with a pseudonym go through the linker, those without one
     * count once each, every other signal is left out.
     */
    public static DataStream<CountedEvent> combined(DataStream<DeidentifiedEvent> dedupedEvents, Duration window,
            Duration maxReportDelay) {
        DataStream<DeidentifiedEvent> relevant = dedupedEvents
                .filter(e -> Signal.COMBINED.isCountedFrom(e.getSignal()))
                .name("paramedic and naloxone");
        DataStream<CountedEvent> linked = relevant
                .filter(e -> e.getPseudonym() != null)
                .name("with pseudonym")
                .map(LinkReport::of, LinkReport.TYPE)
                .name("reports to link")
                .keyBy(LinkReport::person, Key128.TYPE)
                .process(new OverdoseLinker(window, maxReportDelay, BatchTies.modeOf(dedupedEvents)), CountedEvent.TYPE)
                .name("link paramedic and naloxone")
                .uid("overdose-linker");
        DataStream<CountedEvent> unlinkable = relevant
                .filter(e -> e.getPseudonym() == null)
                .name("without pseudonym")
                .map(e -> CountedEvent.as(Signal.COMBINED, e), CountedEvent.TYPE)
                .name("count once");
        return linked.union(unlinkable);
    }

    @Override
    public void open(OpenContext context) {
        waitingParamedic = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-paramedic", Types.LONG));
        waitingNaloxone = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-naloxone", Types.LONG));
        if (batch) {
            pendingByMinute = getRuntimeContext().getMapState(
                    new MapStateDescriptor<>("pending-by-minute", Types.LONG, Types.LIST(LinkReport.TYPE)));
        }
    }

    @Override
    public void processElement(LinkReport e, Context ctx, Collector<CountedEvent> out) throws Exception {
        if (!batch) {
            take(e, ctx, out);
            return;
        }
        long minute = e.occurredMinute();
        List<LinkReport> pending = pendingByMinute.get(minute);
        if (pending == null) {
            pending = new ArrayList<>();
            ctx.timerService().registerEventTimeTimer(minute);
        }
        pending.add(e);
        pendingByMinute.put(minute, pending);
    }

    /** Links the report to a waiting one of the other source, or counts it and lets it wait. */
    private void take(LinkReport e, Context ctx, Collector<CountedEvent> out) throws Exception {
        boolean paramedic = !e.isNaloxone();
        long minute = e.occurredMinute();
        ListState<Long> other = paramedic ? waitingNaloxone : waitingParamedic;
        if (takeClosest(other, minute)) {
            return;
        }
        out.collect(e.asCombined());
        (paramedic ? waitingParamedic : waitingNaloxone).add(minute);
        if (!batch) {
            ctx.timerService().registerEventTimeTimer(minute + retentionMs);
        }
    }

    /** Removes the earliest waiting report within the window of {@code minute}; true when there was one. */
    private boolean takeClosest(ListState<Long> waiting, long minute) throws Exception {
        List<Long> times = new ArrayList<>();
        Long match = null;
        for (Long t : items(waiting)) {
            times.add(t);
            if (Math.abs(t - minute) <= windowMs && (match == null || t < match)) {
                match = t;
            }
        }
        if (match == null) {
            return false;
        }
        times.remove(match);
        waiting.update(times);
        return true;
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CountedEvent> out) throws Exception {
        if (batch) {
            takePending(timestamp, ctx, out);
            return;
        }
        expire(waitingParamedic, timestamp);
        expire(waitingNaloxone, timestamp);
    }

    /** BATCH: the reports of this minute, in {@link #TIE_ORDER}. */
    private void takePending(long minute, OnTimerContext ctx, Collector<CountedEvent> out) throws Exception {
        List<LinkReport> tied = pendingByMinute.get(minute);
        if (tied == null) {
            return;
        }
        pendingByMinute.remove(minute);
        tied.sort(TIE_ORDER);
        for (LinkReport e : tied) {
            take(e, ctx, out);
        }
    }

    private void expire(ListState<Long> waiting, long now) throws Exception {
        List<Long> kept = new ArrayList<>();
        for (Long t : items(waiting)) {
            if (t + retentionMs > now) {
                kept.add(t);
            }
        }
        if (kept.isEmpty()) {
            waiting.clear();
        } else {
            waiting.update(kept);
        }
    }

    /** Some state backends return null rather than an empty list for empty list state. */
    private static Iterable<Long> items(ListState<Long> state) throws Exception {
        Iterable<Long> items = state.get();
        return items == null ? List.of() : items;
    }
}
