package lookout.detect;

import java.time.ZoneId;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.schema.DeidentifiedEvent;

/**
 * Turns drug-checking results into findings that matter for toxicity alerts, as {@link SubstanceJudge} judges
 * them: an always-notable substance, one new to the city, or a watch-list substance whose share of samples is
 * rising in the city or near the area. Runs on a single key: novelty and the city's share are city-wide facts.
 * State: one timestamp per vocabulary term ever seen and the judge's day counts (bounded by watch list x areas x
 * days, not by samples).
 */
public final class SubstanceNovelty extends KeyedProcessFunction<Byte, DeidentifiedEvent, Finding> {
    private static final long serialVersionUID = 2L;

    private final SubstanceJudge judge;
    private transient MapState<String, Long> firstSeen;
    private transient ValueState<Long> watchingSince;
    private transient MapState<String, DayRing> rings;
    private transient SubstanceJudge.Store store;

    public SubstanceNovelty(SubstanceWatch watch, int noveltyDays, Map<String, Set<String>> neighbours, ZoneId zone) {
        this.judge = new SubstanceJudge(watch, noveltyDays, neighbours, zone);
    }

    @Override
    public void open(OpenContext ctx) {
        firstSeen = getRuntimeContext().getMapState(new MapStateDescriptor<>("firstSeen", Types.STRING, Types.LONG));
        watchingSince = getRuntimeContext().getState(new ValueStateDescriptor<>("since", Types.LONG));
        rings = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("sampleDays", Types.STRING, TypeInformation.of(DayRing.class)));
        store = new SubstanceJudge.Store() {
            @Override
            public Long firstSeen(String substance) throws Exception {
                return firstSeen.get(substance);
            }

            @Override
            public void firstSeen(String substance, long time) throws Exception {
                firstSeen.put(substance, time);
            }

            @Override
            public Long since() throws Exception {
                return watchingSince.value();
            }

            @Override
            public void since(long time) throws Exception {
                watchingSince.update(time);
            }

            @Override
            public DayRing ring(String key) throws Exception {
                return rings.get(key);
            }

            @Override
            public void ring(String key, DayRing ring) throws Exception {
                rings.put(key, ring);
            }
        };
    }

    @Override
    public void processElement(DeidentifiedEvent e, Context ctx, Collector<Finding> out) throws Exception {
        for (Finding f : judge.sample(e.getAreaId(), e.getOccurredMinute(), e.getSubstances(), store)) {
            out.collect(f);
        }
    }
}
