package lookout.link;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.kernel.Signal;
import lookout.schema.DeidentifiedEvent;

/**
 * The "combined" signal: one overdose seen by a paramedic and by a naloxone program is counted once. Keyed by
 * pseudonym, a paramedic call and a naloxone report of the same person whose times are at most {@code window}
 * apart are linked; each report links at most once. A report is counted (emitted) when it arrives unless an
 * unlinked report of the other source is waiting, so the pair counts once whatever the arrival order, at the
 * time of the report that arrived first. State holds only the minutes of unlinked reports per person, and an
 * event-time timer drops each one once the watermark is {@code window + maxReportDelay} past it: a report
 * arriving after that is counted on its own. The delay allowance is what makes linkage independent of how the
 * paramedic and naloxone topics happen to interleave: naloxone reports routinely arrive a day or more after the
 * call, when the watermark has moved on.
 *
 * <p>The pseudonym goes no further than this operator: emitted events carry signal "combined" and no pseudonym.
 */
public final class OverdoseLinker extends KeyedProcessFunction<String, DeidentifiedEvent, DeidentifiedEvent> {
    private static final long serialVersionUID = 1L;
    private static final TypeInformation<DeidentifiedEvent> EVENT_TYPE = new AvroTypeInfo<>(DeidentifiedEvent.class);

    private final long windowMs;
    private final long retentionMs;
    private transient ListState<Long> waitingParamedic;
    private transient ListState<Long> waitingNaloxone;

    public OverdoseLinker(Duration window, Duration maxReportDelay) {
        if (window.isNegative() || maxReportDelay.isNegative()) {
            throw new IllegalArgumentException("linkage window and report delay must not be negative");
        }
        this.windowMs = window.toMillis();
        this.retentionMs = windowMs + maxReportDelay.toMillis();
    }

    /**
     * The combined signal from deduplicated de-identified events: paramedic and naloxone events with a pseudonym
     * go through the linker, those without one count once each, every other signal is left out.
     */
    public static DataStream<DeidentifiedEvent> combined(DataStream<DeidentifiedEvent> dedupedEvents, Duration window,
            Duration maxReportDelay) {
        DataStream<DeidentifiedEvent> relevant = dedupedEvents
                .filter(e -> isParamedic(e) || isNaloxone(e))
                .name("paramedic and naloxone");
        DataStream<DeidentifiedEvent> linked = relevant
                .filter(e -> e.getPseudonym() != null)
                .name("with pseudonym")
                .keyBy(DeidentifiedEvent::getPseudonym, Types.STRING)
                .process(new OverdoseLinker(window, maxReportDelay), EVENT_TYPE)
                .name("link paramedic and naloxone")
                .uid("overdose-linker");
        DataStream<DeidentifiedEvent> unlinkable = relevant
                .filter(e -> e.getPseudonym() == null)
                .name("without pseudonym")
                .map(OverdoseLinker::asCombined, EVENT_TYPE)
                .name("count once");
        return linked.union(unlinkable);
    }

    /** The event as counted in the combined signal: same area, time and categories, no pseudonym. */
    static DeidentifiedEvent asCombined(DeidentifiedEvent e) {
        return DeidentifiedEvent.newBuilder(e).setSignal(Signal.COMBINED.code()).setPseudonym(null).build();
    }

    @Override
    public void open(OpenContext context) {
        waitingParamedic = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-paramedic", Types.LONG));
        waitingNaloxone = getRuntimeContext().getListState(new ListStateDescriptor<>("waiting-naloxone", Types.LONG));
    }

    @Override
    public void processElement(DeidentifiedEvent e, Context ctx, Collector<DeidentifiedEvent> out) throws Exception {
        boolean paramedic = isParamedic(e);
        if (!paramedic && !isNaloxone(e)) {
            return;
        }
        long minute = e.getOccurredMinute();
        ListState<Long> other = paramedic ? waitingNaloxone : waitingParamedic;
        if (takeClosest(other, minute)) {
            return;
        }
        out.collect(asCombined(e));
        (paramedic ? waitingParamedic : waitingNaloxone).add(minute);
        ctx.timerService().registerEventTimeTimer(minute + retentionMs);
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
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeidentifiedEvent> out) throws Exception {
        expire(waitingParamedic, timestamp);
        expire(waitingNaloxone, timestamp);
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

    private static boolean isParamedic(DeidentifiedEvent e) {
        return Signal.PARAMEDIC.is(e.getSignal());
    }

    private static boolean isNaloxone(DeidentifiedEvent e) {
        return Signal.NALOXONE.is(e.getSignal());
    }
}
