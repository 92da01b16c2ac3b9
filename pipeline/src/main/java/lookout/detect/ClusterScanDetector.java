package lookout.detect;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import lookout.schema.Alert;

/**
 * The space-time scan in the job, keyed by signal: every area's events and the expectations its daily detector
 * judged it by, into one {@link ClusterWatch}; at each day's end the scan and the cluster alerts' lifecycle.
 *
 * <p>A day is judged as {@link AreaSignalDetector} judges it: when the watermark passes its end (a timer; the
 * areas' verdicts for that day, sent from their own timers at the same instant, are in by then), or when an event
 * later than its end plus the lateness allowance arrives (a BATCH backfill, whose timers fire only at the end). In
 * a backfill an area's verdict on a day reaches the scan only with the area's next event, so the scan reads that
 * area's latest earlier expectation instead: counts are the same in both modes, expectations may be a few days
 * older in a backfill. The timer chain stops after {@code stopAfterQuietDays} days without an event in the city
 * and no cluster alert open, so a backfill ends. State: one {@link ClusterWatch} (areas times a ring of days), the
 * next day to judge and the latest event time.
 */
public final class ClusterScanDetector extends KeyedProcessFunction<String, ScanInput, Alert> {
    private static final long serialVersionUID = 1L;

    private final DetectionSettings settings;
    private final ScanSettings scan;
    private transient ValueState<ClusterWatch> watch;
    private transient ValueState<Long> nextDay;
    private transient ValueState<Long> latestEvent;
    private transient ValueState<Integer> quietRun;

    public ClusterScanDetector(DetectionSettings settings, ScanSettings scan) {
        this.settings = settings;
        this.scan = scan;
    }

    @Override
    public void open(OpenContext ctx) {
        watch = getRuntimeContext().getState(
                new ValueStateDescriptor<>("cluster-watch", TypeInformation.of(ClusterWatch.class)));
        nextDay = getRuntimeContext().getState(new ValueStateDescriptor<>("next-day", Types.LONG));
        latestEvent = getRuntimeContext().getState(new ValueStateDescriptor<>("latest-event", Types.LONG));
        quietRun = getRuntimeContext().getState(new ValueStateDescriptor<>("quiet-run", Types.INT));
    }

    @Override
    public void processElement(ScanInput in, Context ctx, Collector<Alert> out) throws Exception {
        ClusterWatch w = watch.value();
        if (w == null) {
            w = new ClusterWatch(scan.scan().zones().areas().size());
        }
        int area = scan.scan().zones().indexOf(in.area);
        DayClock clock = new DayClock(settings.zone());
        if (!in.isEvent()) {
            w.expectation(area, in.day, in.expected);
            watch.update(w);
            return;
        }
        catchUp(w, in.time - settings.latenessMillis(), ctx, out);
        long day = clock.dayOf(in.time);
        Long next = nextDay.value();
        if (next == null) {
            nextDay.update(day);
            ctx.timerService().registerEventTimeTimer(clock.endOf(day));
        } else if (day >= next) {
            quietRun.update(0);
        }
        w.event(area, day);
        Long latest = latestEvent.value();
        latestEvent.update(latest == null ? in.time : Math.max(latest, in.time));
        watch.update(w);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        ClusterWatch w = watch.value();
        if (w == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        long until = timestamp;
        if (watermark == Long.MAX_VALUE) {
            // The end of bounded input: judge through the day of the latest event, not the days after the data.
            DayClock clock = new DayClock(settings.zone());
            until = clock.endOf(clock.dayOf(latestEvent.value()));
        } else {
            until = Math.max(timestamp, watermark);
        }
        catchUp(w, until, ctx, out);
        watch.update(w);
    }

    /** Judges every day from the next one whose end is at or before {@code time}, in order. */
    private void catchUp(ClusterWatch w, long time, Context ctx, Collector<Alert> out) throws Exception {
        DayClock clock = new DayClock(settings.zone());
        Long next = nextDay.value();
        while (next != null && clock.endOf(next) <= time) {
            long day = next;
            for (Alert a : w.judge(day, clock.startOf(day), clock.endOf(day), ctx.getCurrentKey(), scan,
                    settings.quietDaysToClose(), settings.zone())) {
                out.collect(a);
            }
            int quiet = quietRun.value() == null ? 1 : quietRun.value() + 1;
            quietRun.update(quiet);
            if (w.anyOpen() || quiet < settings.stopAfterQuietDays()) {
                next = day + 1;
                if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
                    ctx.timerService().registerEventTimeTimer(clock.endOf(next));
                }
            } else {
                next = null;
            }
        }
        nextDay.update(next);
    }
}
