package lookout.detect;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import lookout.schema.Alert;

/**
 * The firings of one day that came while days before it were still to be judged (a STREAMING job whose watermark
 * lags, or jumps over many days at once): they reach the alert lifecycle once those days are judged, in the order
 * they came, so a day's firings meet the lifecycle the earlier days left whatever the watermark did. A Flink POJO.
 *
 * <p>Bounded by runs, not by firings: a firing in the clock hour of the run before it, and no more severe than the
 * run's first, publishes nothing when replayed (its hour and severity are the alert's already), so it only counts
 * and widens the window; the run keeps its count, its windows' extent and its last firing. A day holds a few runs an
 * hour (one per rise in severity, one per change of hour among the arrivals).
 */
public final class HeldFirings {
    public Run[] runs = new Run[0];

    /** A firing, then the firings of the same hour after it that publish nothing of their own. */
    public static final class Run {
        public Held first;
        /** The last of the firings after the first, or null. */
        public Held last;
        public int merged;
        public long mergedWindowStart = Long.MAX_VALUE;
        public long mergedWindowEnd = Long.MIN_VALUE;

        public Run() {}
    }

    /** A {@link Firing} in Flink types: its evidence JSON as the text around the firing count. */
    public static final class Held {
        public long time;
        public String method;
        public int observed;
        public double expected;
        public double threshold;
        public double score;
        public long windowStart;
        public long windowEnd;
        public String severity;
        public String explanation;
        public String evidenceBefore;
        /** Null when a fact replaces the count: {@link #evidenceBefore} is then the whole. */
        public String evidenceAfter;

        public Held() {}

        static Held of(Firing f) {
            Held h = new Held();
            h.time = f.time();
            h.method = f.method();
            h.observed = f.observed();
            h.expected = f.expected();
            h.threshold = f.threshold();
            h.score = f.score();
            h.windowStart = f.windowStart();
            h.windowEnd = f.windowEnd();
            h.severity = f.severity();
            h.explanation = f.explanation();
            String[] evidence = EvidenceJson.template(f.method(), f.evidence());
            h.evidenceBefore = evidence[0];
            h.evidenceAfter = evidence[1];
            return h;
        }

        Firing firing() {
            return new Firing(time, method, observed, expected, threshold, score, windowStart, windowEnd, severity,
                    Map.of(), explanation);
        }

        String evidence(int firings) {
            return evidenceAfter == null ? evidenceBefore : evidenceBefore + firings + evidenceAfter;
        }
    }

    public HeldFirings() {}

    /** The state of a key's held firings by day, as the detectors that hold them keep it. */
    static MapStateDescriptor<Long, HeldFirings> state() {
        return new MapStateDescriptor<>("held-firings", Types.LONG, TypeInformation.of(HeldFirings.class));
    }

    /** Holds {@code f}, a firing of {@code day}, after those {@code held} holds for that day already. */
    static void hold(MapState<Long, HeldFirings> held, long day, Firing f) throws Exception {
        HeldFirings h = held.get(day);
        if (h == null) {
            h = new HeldFirings();
        }
        h.add(f);
        held.put(day, h);
    }

    /** The firings {@code held} holds for {@code day}, no longer held; null when there are none. */
    static HeldFirings take(MapState<Long, HeldFirings> held, long day) throws Exception {
        HeldFirings h = held.get(day);
        if (h != null) {
            held.remove(day);
        }
        return h;
    }

    /** {@code f}, after those held already. */
    private void add(Firing f) {
        Run run = runs.length == 0 ? null : runs[runs.length - 1];
        if (run != null && SpikeTracker.hour(f.time()) == SpikeTracker.hour(run.first.time)
                && SpikeTracker.rank(f.severity()) <= SpikeTracker.rank(run.first.severity)) {
            run.last = Held.of(f);
            run.merged++;
            run.mergedWindowStart = Math.min(run.mergedWindowStart, f.windowStart());
            run.mergedWindowEnd = Math.max(run.mergedWindowEnd, f.windowEnd());
            return;
        }
        Run next = new Run();
        next.first = Held.of(f);
        runs = Arrays.copyOf(runs, runs.length + 1);
        runs[runs.length - 1] = next;
    }

    /** Fires the held firings into {@code s} in the order they came; {@code out} gets the snapshots to publish. */
    void replay(SpikeTracker s, String area, String signal, Consumer<Optional<Alert>> out) {
        for (Run run : runs) {
            out.accept(s.fire(area, signal, run.first.firing(), run.first::evidence));
            if (run.merged > 0) {
                s.absorb(run.merged, run.mergedWindowStart, run.mergedWindowEnd, run.last.firing(),
                        run.last::evidence);
            }
        }
    }
}
