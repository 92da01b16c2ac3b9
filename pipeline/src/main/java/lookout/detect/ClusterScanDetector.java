package lookout.detect;

import java.util.Arrays;
import java.util.TreeSet;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.schema.Alert;

/**
 * The space-time scan in the job, keyed by signal: every area's events and the expectations its daily detector
 * judged it by, into one {@link ClusterWatch}; at each day's end the scan and the cluster alerts' lifecycle.
 *
 * <p>A day is judged when the watermark passes its end (a timer; the areas' verdicts for that day, sent from their
 * own timers at the same instant, are in by then); in a BATCH backfill, whose timers fire only at the end and whose
 * records arrive in time order, also when an event later than its end plus the lateness allowance arrives. Events
 * of days not judged yet wait in {@code pending} (in STREAMING the sources may run ahead of the watermark). In
 * a backfill an area's verdict on a day reaches the scan only with the area's next event, so the scan reads that
 * area's latest earlier expectation instead: counts are the same in both modes, expectations may be a few days
 * older in a backfill. The timer chain stops after {@code stopAfterQuietDays} days without an event in the city
 * and no cluster alert open, so a backfill ends.
 *
 * <p>In STREAMING a day is judged on what was known of it and the days before, never of later days, however far the
 * watermark jumps at once (a backlog, a replayed history): the expectations and firings of days not judged yet wait
 * in {@code pending} with their events, and reach the watch only as their day is judged. Otherwise a later firing of
 * an area would drop its earlier days from the scan, and a later expectation stand in for a missing earlier one, and
 * the same data would open different cluster alerts depending on how the watermark advanced. Before the first event
 * every verdict waits too: an area detector's subtask may have judged many days before the scan reads its first event,
 * and its later days, in the watch at once, would take the ring's slots the earlier days' expectations need (a false
 * cluster of three areas with their usual calls, judged as never judged). A BATCH backfill takes
 * them as they come: they arrive after their day, in time order, so they never run ahead of the days judged, and
 * holding the first verdicts would judge the day they arrive on with only some areas' baselines known.
 *
 * <p>State: one {@link ClusterWatch} (areas times a ring of days), the inputs of the days ahead of the watermark,
 * the next day to judge and the latest event time.
 */
public final class ClusterScanDetector extends KeyedProcessFunction<Byte, ScanInput, Alert> {
    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;
    private final ScanSettings scan;
    private transient ValueState<ClusterWatch> watch;
    private transient ValueState<Long> nextDay;
    private transient ValueState<Long> latestEvent;
    private transient ValueState<Integer> quietRun;
    private transient ValueState<Long> lastJudged;
    /** Events of the days not judged yet, per area: bounded by the days ahead of the watermark. */
    private transient MapState<Long, int[]> pending;
    /** Expectations of the days not judged yet, per area (NaN: none yet). */
    private transient MapState<Long, double[]> pendingExpected;
    /** Firings of the areas' own detectors on the days not judged yet, per area. */
    private transient MapState<Long, boolean[]> pendingAlerted;
    private final boolean batch;

    /** @param batch whether the job runs in BATCH, where a key's records arrive in time order and timers fire last */
    public ClusterScanDetector(DetectionSettings settings, ScanSettings scan, boolean batch) {
        this.settings = settings;
        this.scan = scan;
        this.batch = batch;
    }

    @Override
    public void open(OpenContext ctx) {
        watch = getRuntimeContext().getState(
                new ValueStateDescriptor<>("cluster-watch", TypeInformation.of(ClusterWatch.class)));
        nextDay = getRuntimeContext().getState(new ValueStateDescriptor<>("next-day", Types.LONG));
        latestEvent = getRuntimeContext().getState(new ValueStateDescriptor<>("latest-event", Types.LONG));
        quietRun = getRuntimeContext().getState(new ValueStateDescriptor<>("quiet-run", Types.INT));
        lastJudged = getRuntimeContext().getState(new ValueStateDescriptor<>("last-judged", Types.LONG));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG,
                PrimitiveArrayTypeInfo.INT_PRIMITIVE_ARRAY_TYPE_INFO));
        pendingExpected = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-expected", Types.LONG,
                PrimitiveArrayTypeInfo.DOUBLE_PRIMITIVE_ARRAY_TYPE_INFO));
        pendingAlerted = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending-alerted", Types.LONG,
                PrimitiveArrayTypeInfo.BOOLEAN_PRIMITIVE_ARRAY_TYPE_INFO));
    }

    @Override
    public void processElement(ScanInput in, Context ctx, Collector<Alert> out) throws Exception {
        int area = scan.scan().zones().indexOf(in.area);
        if (in.kind != ScanInput.EVENT) {
            if (!batch && area >= 0 && notJudgedYet(in.day)) {
                hold(in, area);
            } else {
                ClusterWatch w = load();
                apply(w, in.kind, area, in.day, in.expected);
                watch.update(w);
            }
            return;
        }
        if (batch) {
            catchUp(in.time - settings.latenessMillis(), ctx, out);
        }
        DayClock clock = new DayClock(settings.zone());
        long day = clock.dayOf(in.time);
        Long next = nextDay.value();
        Long judged = lastJudged.value();
        if (next == null || day < next && (judged == null || day > judged)) {
            // The first event, the first after the chain stopped, or one of an earlier day not judged yet.
            if (next == null && judged == null) {
                // Verdicts that came before the first event, of days before it: no such day will be judged.
                ClusterWatch w = load();
                releaseHeldBefore(w, day);
                watch.update(w);
            }
            next = day;
            nextDay.update(day);
            ctx.timerService().registerEventTimeTimer(clock.endOf(day));
        }
        if (day >= next) {
            // The common case reads and writes one day's counts, not the whole watch.
            quietRun.update(0);
            int[] counts = pending.get(day);
            if (counts == null) {
                counts = new int[scan.scan().zones().areas().size()];
            }
            if (area >= 0) {
                counts[area]++;
            }
            pending.put(day, counts);
        } else {
            ClusterWatch w = load();
            w.event(area, day);
            watch.update(w);
        }
        Long latest = latestEvent.value();
        latestEvent.update(latest == null ? in.time : Math.max(latest, in.time));
    }

    /** Whether {@code day} is still to be judged: at or after the next day to judge, or any day before the first. */
    private boolean notJudgedYet(long day) throws Exception {
        Long next = nextDay.value();
        return next != null ? day >= next : lastJudged.value() == null;
    }

    /** Keeps an expectation or a firing of a day not judged yet until that day is judged. */
    private void hold(ScanInput in, int area) throws Exception {
        int areas = scan.scan().zones().areas().size();
        if (in.kind == ScanInput.EXPECTATION) {
            double[] expected = pendingExpected.get(in.day);
            if (expected == null) {
                expected = new double[areas];
                Arrays.fill(expected, Double.NaN);
            }
            expected[area] = in.expected;
            pendingExpected.put(in.day, expected);
        } else {
            boolean[] alerted = pendingAlerted.get(in.day);
            if (alerted == null) {
                alerted = new boolean[areas];
            }
            alerted[area] = true;
            pendingAlerted.put(in.day, alerted);
        }
    }

    private static void apply(ClusterWatch w, int kind, int area, long day, double expected) {
        if (kind == ScanInput.EXPECTATION) {
            w.expectation(area, day, expected);
        } else {
            w.alerted(area, day);
        }
    }

    /** What was held for {@code day}, into the watch. */
    private void release(ClusterWatch w, long day) throws Exception {
        int[] counted = pending.get(day);
        if (counted != null) {
            for (int a = 0; a < counted.length; a++) {
                w.add(a, day, counted[a]);
            }
            pending.remove(day);
        }
        double[] expected = pendingExpected.get(day);
        if (expected != null) {
            for (int a = 0; a < expected.length; a++) {
                if (!Double.isNaN(expected[a])) {
                    w.expectation(a, day, expected[a]);
                }
            }
            pendingExpected.remove(day);
        }
        boolean[] alerted = pendingAlerted.get(day);
        if (alerted != null) {
            for (int a = 0; a < alerted.length; a++) {
                if (alerted[a]) {
                    w.alerted(a, day);
                }
            }
            pendingAlerted.remove(day);
        }
    }

    /**
     * When the chain stops, the expectations and firings held for later days go into the watch in day order: no day
     * before them is left to judge, and the next event's days come after them.
     */
    private void releaseHeld(ClusterWatch w) throws Exception {
        releaseHeldBefore(w, Long.MAX_VALUE);
    }

    /** The expectations and firings held for days before {@code day}, into the watch in day order. */
    private void releaseHeldBefore(ClusterWatch w, long day) throws Exception {
        TreeSet<Long> days = new TreeSet<>();
        pendingExpected.keys().forEach(days::add);
        pendingAlerted.keys().forEach(days::add);
        for (long held : days.headSet(day)) {
            release(w, held);
        }
    }

    private ClusterWatch load() throws Exception {
        ClusterWatch w = watch.value();
        return w != null ? w : new ClusterWatch(scan.scan().zones().areas().size());
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        if (latestEvent.value() == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        DayClock clock = new DayClock(settings.zone());
        // At the end of bounded input, judge through the day of the latest event, not the days after the data.
        catchUp(watermark == Long.MAX_VALUE ? clock.endOf(clock.dayOf(latestEvent.value()))
                : Math.max(timestamp, watermark), ctx, out);
    }

    /** Judges every day from the next one whose end is at or before {@code time}, in order. */
    private void catchUp(long time, Context ctx, Collector<Alert> out) throws Exception {
        DayClock clock = new DayClock(settings.zone());
        Long next = nextDay.value();
        if (next == null || clock.endOf(next) > time) {
            return;
        }
        ClusterWatch w = load();
        while (next != null && clock.endOf(next) <= time) {
            long day = next;
            release(w, day);
            String signal = DetectionKeys.signalOf(ctx.getCurrentKey()).code();
            for (Alert a : w.judge(day, signal, scan, settings.quietDaysToClose(), settings.zone())) {
                out.collect(a);
            }
            lastJudged.update(day);
            int quiet = quietRun.value() == null ? 1 : quietRun.value() + 1;
            quietRun.update(quiet);
            if (w.anyOpen() || quiet < settings.stopAfterQuietDays() || !pending.isEmpty()) {
                next = day + 1;
                if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
                    ctx.timerService().registerEventTimeTimer(clock.endOf(next));
                }
            } else {
                next = null;
                releaseHeld(w);
            }
        }
        nextDay.update(next);
        watch.update(w);
    }
}
