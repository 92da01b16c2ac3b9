package lookout.detect;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.ingest.SubstanceVocabulary;
import lookout.schema.DeidentifiedEvent;

/**
 * Turns drug-checking results into findings that matter for toxicity alerts: a watch-list adulterant, or a
 * substance first detected in the city within {@code noveltyDays}. Runs on a single key: novelty is a city-wide
 * fact, and the state is one timestamp per vocabulary term ever seen (bounded by the vocabulary, not an event log).
 * A substance can only be "new" once the job has watched drug checking for {@code noveltyDays}; before that every
 * substance would look new. "other" (every unrecognised name) and "unknown" are never new: they name no particular
 * substance, so a street name the vocabulary lacks must be added to it to be reported.
 */
public final class SubstanceNovelty extends KeyedProcessFunction<String, DeidentifiedEvent, Finding> {
    private static final long serialVersionUID = 1L;
    private static final long DAY = 86_400_000L;

    private final SubstanceWatch watch;
    private final int noveltyDays;
    private transient MapState<String, Long> firstSeen;
    private transient ValueState<Long> watchingSince;

    public SubstanceNovelty(SubstanceWatch watch, int noveltyDays) {
        this.watch = watch;
        this.noveltyDays = noveltyDays;
    }

    @Override
    public void open(OpenContext ctx) {
        firstSeen = getRuntimeContext().getMapState(new MapStateDescriptor<>("firstSeen", Types.STRING, Types.LONG));
        watchingSince = getRuntimeContext().getState(new ValueStateDescriptor<>("since", Types.LONG));
    }

    @Override
    public void processElement(DeidentifiedEvent e, Context ctx, Collector<Finding> out) throws Exception {
        long t = e.getOccurredMinute();
        Long since = watchingSince.value();
        if (since == null || t < since) {
            since = t;
            watchingSince.update(t);
        }
        for (String substance : e.getSubstances()) {
            if (!SubstanceVocabulary.standard().namesASubstance(substance)) {
                continue;
            }
            Long first = firstSeen.get(substance);
            if (first == null || t < first) {
                first = t;
                firstSeen.put(substance, t);
            }
            boolean novel = first - since >= noveltyDays * DAY && t - first <= noveltyDays * DAY;
            String entry = watch.match(substance).orElse(null);
            if (entry != null || novel) {
                out.collect(new Finding(e.getAreaId(), e.getAreaId(), t, substance, entry, novel,
                        watch.critical(substance)));
            }
        }
    }
}
