package lookout.aggregate;

import java.time.Duration;
import java.util.Comparator;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.ingest.EventSerializer;
import lookout.schema.DeidentifiedEvent;

/**
 * Passes one event per dedupe key (a keyed hash of source and event_id) and drops re-sent copies.
 *
 * <p>In STREAMING the first copy passes at once. The seen-flag expires after the dedupe horizon, so this state is
 * the only one that grows with events, and only within the horizon.
 *
 * <p>In BATCH a key's copies come sorted by time, but copies of the same minute come in no fixed order (it changes
 * with the input's order and the subtasks' interleaving), and a resend may correct the area or the outcome, so
 * passing the first to arrive would make a backfill's cells depend on the input's order. So in BATCH the operator
 * keeps one candidate per key ({@code batch-candidate}): the copy of the earliest minute that comes first in
 * {@link #COPY_ORDER}, compared as each copy arrives, and passes it at an event-time timer at its minute. A key's
 * timers fire in time order once its input is done, so every copy has been compared by then; a timer is
 * registered only when a copy arrives, never while timers fire (Flink would ignore it with a warning). BATCH needs
 * no expiry: a backfill counts a record once however far apart its copies are, and Flink drops a key's state once
 * its input is done.
 */
public final class Deduplicate
        extends KeyedProcessFunction<Tuple2<Long, Long>, DeidentifiedEvent, DeidentifiedEvent> {
    private static final long serialVersionUID = 1L;
    public static final String ACCEPTED = "accepted";
    public static final String DUPLICATES = "duplicates";


    /**
     * Which copy of a key a backfill passes: the earliest minute, then by content, area first (the dedupe key is
     * the same for every copy and the pseudonym is left out: with an ephemeral key it differs in every run, so no
     * order of pseudonyms is the same in two runs). Copies equal in both but not in the person pass as one event of
     * nobody known ({@link #compete}).
     */
    static final Comparator<DeidentifiedEvent> COPY_ORDER = Comparator
            .comparingLong(DeidentifiedEvent::getOccurredMinute)
            .thenComparing(BatchTies::content, Comparator.naturalOrder());

    private final Duration horizon;
    private final boolean batch;
    private transient ValueState<Boolean> seen;
    /** BATCH only: the copy to pass at the timer of its minute, unless a copy earlier in {@link #COPY_ORDER} comes. */
    private transient ValueState<DeidentifiedEvent> candidate;

    /** @param mode STREAMING passes the first copy at once; BATCH passes the first in {@link #COPY_ORDER} */
    public Deduplicate(Duration horizon, RuntimeExecutionMode mode) {
        this.horizon = horizon;
        this.batch = BatchTies.isBatch(mode, "dedupe");
    }

    /** One event per dedupe key, by the rule of the mode the graph is built for; the uid restores the streaming state. */
    public static DataStream<DeidentifiedEvent> unique(DataStream<DeidentifiedEvent> events, Duration horizon) {
        return events
                .keyBy(Deduplicate::key, Key128.TYPE)
                .process(new Deduplicate(horizon, BatchTies.modeOf(events)), EventSerializer.TYPE).name("deduplicate").uid("deduplicate");
    }

    /** The operator's key: the dedupe key's 128 bits. */
    public static Tuple2<Long, Long> key(DeidentifiedEvent event) {
        return Key128.of(event.getDedupeKey());
    }

    @Override
    public void open(OpenContext context) {
        if (batch) {
            candidate = getRuntimeContext().getState(new ValueStateDescriptor<>("batch-candidate", EventSerializer.TYPE));
            return;
        }
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Types.BOOLEAN);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(horizon)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(descriptor);
    }

    @Override
    public void processElement(DeidentifiedEvent event, Context ctx, Collector<DeidentifiedEvent> out) throws Exception {
        if (batch) {
            compete(event, ctx);
            return;
        }
        if (seen.value() != null) {
            getRuntimeContext().getLongCounter(DUPLICATES).add(1);
            return;
        }
        seen.update(true);
        getRuntimeContext().getLongCounter(ACCEPTED).add(1);
        out.collect(event);
    }

    /**
     * BATCH: keeps the copy first in {@link #COPY_ORDER}, with a timer at its minute; counts the other as a duplicate.
     * Copies the order cannot tell apart that name different people (a resend that corrected only the person: a
     * backfill cannot tell which came last) keep neither person, so the event links nobody in every run and order;
     * choosing between the pseudonyms would follow the key, and with an ephemeral one change from run to run.
     */
    private void compete(DeidentifiedEvent event, Context ctx) throws Exception {
        DeidentifiedEvent best = candidate.value();
        if (best != null) {
            getRuntimeContext().getLongCounter(DUPLICATES).add(1);
            int order = COPY_ORDER.compare(event, best);
            if (order == 0 && best.getPseudonym() != null && !best.getPseudonym().equals(event.getPseudonym())) {
                candidate.update(DeidentifiedEvent.newBuilder(best).setPseudonym(null).build());
            }
            if (order >= 0) {
                return;
            }
        }
        if (best == null || event.getOccurredMinute() < best.getOccurredMinute()) {
            ctx.timerService().registerEventTimeTimer(event.getOccurredMinute());
        }
        candidate.update(event);
    }

    /** BATCH: the key's input is done; the first timer passes the candidate, a later one finds none. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DeidentifiedEvent> out) throws Exception {
        DeidentifiedEvent best = candidate.value();
        if (best == null) {
            return;
        }
        candidate.clear();
        getRuntimeContext().getLongCounter(ACCEPTED).add(1);
        out.collect(best);
    }

}
