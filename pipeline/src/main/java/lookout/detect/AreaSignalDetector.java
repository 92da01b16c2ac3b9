package lookout.detect;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import lookout.schema.Alert;
import lookout.schema.DetectorAlarm;

/**
 * Detection for one area and signal (key {@link DetectionKeys#areaSignal}; the area's id is kept in state, for the
 * days judged by timers): daily methods at each day's end, the intraday early warning on every event, and the alert
 * lifecycle. Emits {@link DetectorAlarm} rows and, on {@link #ALERTS}, alert snapshots.
 *
 * <p>A day is judged once nothing more can arrive for it: when the watermark passes its end (the timer), and in
 * BATCH, where each key's events arrive sorted and timers only fire at the end, when this key sees an event later
 * than its end plus the lateness allowance, so days are judged in the same order as in STREAMING. A STREAMING job
 * waits for the watermark: one key's events reach this operator through several channels (partitions, deduplicating
 * subtasks), and while a job catches up on a backlog one channel can run weeks ahead of another, so a key's own
 * later event says nothing of what is still to come for an earlier day.
 * The daily timer chain stops after {@code stopAfterQuietDays} zero days with no open alert; the ring of counts is
 * kept (fixed size), and the zero days skipped are filled in when the next event arrives, so a restart loses no
 * history. Pending (not yet judged) days are bounded by the number of calendar days ahead of the watermark.
 *
 * <p>In STREAMING an intraday firing of a day after the next one to judge waits ({@link HeldFirings}) until the days
 * before it are judged, so it meets the alert as those days left it however far the watermark jumps at once (a
 * backlog, a replayed history): applied at once, a later spike's firing kept an alert open that the quiet days
 * between would have closed, and those days counted as days with a firing. Live it waits at most the watermark's
 * lag behind midnight. BATCH judges the days before an event's (less the lateness) before the event.
 *
 * <p>The history of every key starts when the job started watching the city's signal (the broadcast
 * {@link WatchingSince}), not at the key's own first event: an area whose first event ever is a cluster weeks
 * later is judged against those weeks of zeros, and its first cluster can alert.
 */
public final class AreaSignalDetector
        extends KeyedBroadcastProcessFunction<Long, AreaEvent, WatchedPeriod, DetectorAlarm> {
    private static final long serialVersionUID = 1L;
    private static final long HOUR = 3_600_000L;
    public static final OutputTag<Alert> ALERTS = new OutputTag<>("alerts", TypeInformation.of(Alert.class));

    private final DetectionSettings settings;
    private final boolean batch;
    private transient ValueState<DailyCounts> daily;
    private transient MapState<Long, Integer> pending;
    private transient ValueState<HourlyCounts> hourly;
    private transient ValueState<SpikeTracker> spike;
    /** STREAMING: intraday firings of days after the next to judge, until it is judged (see {@link HeldFirings}). */
    private transient MapState<Long, HeldFirings> held;
    /** The key's area id, written with its first event: the key is a hash and does not give it back. */
    private transient ValueState<String> area;
    /** The earliest event time of each signal this subtask has seen, of any key ({@code WatchingSince.known}). */
    private transient WatchingSince.SeenHere seen;
    private transient DayCache days;
    /**
     * The analyst detectors' method names, in order: some are formatted from their settings on every call, and
     * restored state is matched to them by name ({@link DailyCounts#fit}).
     */
    private transient String[] methods;
    /** The length of each key's ring of days: the longest history any method reads, and the day judged. */
    private transient int capacity;

    /** @param batch whether the job runs in BATCH, where a key's records arrive in time order and timers fire last */
    public AreaSignalDetector(DetectionSettings settings, boolean batch) {
        this.settings = settings;
        this.batch = batch;
    }

    /** The event's key in a job that may restore state ({@link DetectionKeys.Scheme#hashed}). */
    public static long key(AreaEvent e) {
        return DetectionKeys.areaSignal(e.area(), e.signalValue());
    }

    @Override
    public void open(org.apache.flink.api.common.functions.OpenContext ctx) {
        seen = new WatchingSince.SeenHere();
        days = new DayCache(settings.zone());
        methods = settings.analystDetectors().stream().map(DailyDetector::method).toArray(String[]::new);
        capacity = settings.historyDays() + 1;
        daily = getRuntimeContext().getState(new ValueStateDescriptor<>("daily", TypeInformation.of(DailyCounts.class)));
        pending = getRuntimeContext().getMapState(new MapStateDescriptor<>("pending", Types.LONG, Types.INT));
        hourly = getRuntimeContext().getState(
                new ValueStateDescriptor<>("hourly", TypeInformation.of(HourlyCounts.class)));
        spike = getRuntimeContext().getState(
                new ValueStateDescriptor<>("spike", TypeInformation.of(SpikeTracker.class)));
        area = getRuntimeContext().getState(new ValueStateDescriptor<>("area", Types.STRING));
        held = getRuntimeContext().getMapState(HeldFirings.state());
    }

    @Override
    public void processBroadcastElement(WatchedPeriod period, Context ctx, Collector<DetectorAlarm> out) throws Exception {
        WatchingSince.remember(ctx.getBroadcastState(WatchingSince.BROADCAST), period);
    }

    @Override
    public void processElement(AreaEvent e, ReadOnlyContext ctx, Collector<DetectorAlarm> out)
            throws Exception {
        long time = e.minute();
        long day = days.dayOf(time);
        long since = WatchingSince.known(ctx.getBroadcastState(WatchingSince.BROADCAST), settings, e.signalValue(),
                seen.saw(e.signalValue(), time));
        DailyCounts d = dailyCounts();
        if (d == null) {
            d = new DailyCounts(capacity, methods);
            d.firstDay = day;
            d.newestDay = day - 1;
            area.update(e.area());
        }
        d.watchedSince(days.dayOf(since));
        if (batch) {
            catchUp(d, time - settings.latenessMillis(), ctx, out);
        }
        if (day > d.newestDay) {
            Integer c = pending.get(day);
            pending.put(day, c == null ? 1 : c + 1);
            if (d.nextEvalDay == DailyCounts.NONE) {
                while (d.newestDay < day - 1) {
                    d.push(0);
                }
                d.nextEvalDay = day;
            }
            ctx.timerService().registerEventTimeTimer(days.endOf(d.nextEvalDay));
        } else {
            d.addLate(day);
        }
        intraday(e, time, since, d, ctx);
        daily.update(d);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<DetectorAlarm> out) throws Exception {
        DailyCounts d = dailyCounts();
        if (d == null) {
            return;
        }
        long since = WatchingSince.known(ctx.getBroadcastState(WatchingSince.BROADCAST), settings,
                DetectionKeys.signalOfAreaSignal(ctx.getCurrentKey()));
        if (since != DetectionSettings.UNSET) {
            d.watchedSince(days.dayOf(since));
        }
        long watermark = ctx.timerService().currentWatermark();
        catchUp(d, watermark == Long.MAX_VALUE ? endOfData(ctx) : Math.max(timestamp, watermark), ctx, out);
        daily.update(d);
    }

    /**
     * This key's days, fitted to the job's methods: the state may come from a checkpoint or savepoint of a build
     * whose list of methods differed.
     */
    private DailyCounts dailyCounts() throws Exception {
        DailyCounts d = daily.value();
        if (d != null) {
            d.fit(methods, capacity);
        }
        return d;
    }

    /**
     * At the end of bounded input, the end of the day of the latest event the city has seen: days after it are not
     * in the data, so judging them as quiet would close the alerts still open when the data ends.
     */
    private long endOfData(ReadOnlyContext ctx) throws Exception {
        long until = WatchingSince.until(ctx.getBroadcastState(WatchingSince.BROADCAST));
        if (until == Long.MAX_VALUE) {
            return until;
        }
        return days.endOf(days.dayOf(until));
    }

    /** Judges every pending day whose end is at or before {@code time}, in order. */
    private void catchUp(DailyCounts d, long time, ReadOnlyContext ctx, Collector<DetectorAlarm> out)
            throws Exception {
        while (d.nextEvalDay != DailyCounts.NONE && days.endOf(d.nextEvalDay) <= time) {
            long day = d.nextEvalDay;
            Integer c = pending.get(day);
            pending.remove(day);
            int count = c == null ? 0 : c;
            d.push(count);
            d.quietRun = count == 0 ? d.quietRun + 1 : 0;
            judgeDay(d, day, ctx, out);
            SpikeTracker s = spike.value();
            boolean open = s != null && s.open;
            if (s != null) {
                emit(ctx, s.endOfDay(days.endOf(day), d.lastFiringDay >= day));
                spike.update(s.open ? s : null);
                open = s.open;
            }
            if (open || d.quietRun < settings.stopAfterQuietDays()) {
                d.nextEvalDay = day + 1;
            } else if (!pending.isEmpty()) {
                // Day by day, the chain stops in this quiet spell and the next event restarts it at its own day.
                // Events of later days already here (the watermark jumped) restart it the same way: the days before
                // theirs are zeros in the history, not judged, so the same days are judged either way.
                long restart = firstPending();
                while (d.newestDay < restart - 1) {
                    d.push(0);
                }
                d.nextEvalDay = restart;
            } else {
                d.nextEvalDay = DailyCounts.NONE;
            }
            if (d.nextEvalDay != DailyCounts.NONE) {
                // The next day's held firings go in now its day has begun, not at its end: live, a firing just
                // after midnight waits only for the watermark to pass midnight.
                release(d, d.nextEvalDay, ctx);
                if (!atEndOfInput(ctx)) {
                    ctx.timerService().registerEventTimeTimer(days.endOf(d.nextEvalDay));
                }
            }
        }
    }

    /** The earliest day with events not judged yet; bounded by the days ahead of the watermark. */
    private long firstPending() throws Exception {
        long first = Long.MAX_VALUE;
        for (Long day : pending.keys()) {
            first = Math.min(first, day);
        }
        return first;
    }

    /**
     * At the end of bounded input (a BATCH backfill) the watermark is +inf, this loop judges every remaining
     * day at once, and Flink ignores timers registered then; in STREAMING each day end is a timer.
     */
    private static boolean atEndOfInput(ReadOnlyContext ctx) {
        return ctx.timerService().currentWatermark() == Long.MAX_VALUE;
    }

    private void judgeDay(DailyCounts d, long day, ReadOnlyContext ctx,
            Collector<DetectorAlarm> out) throws Exception {
        String areaId = area.value();
        String signal = DetectionKeys.signalOfAreaSignal(ctx.getCurrentKey()).code();
        int[] w = d.window();
        int t = w.length - 1;
        LocalDate date = LocalDate.ofEpochDay(day);
        String dateText = date.toString();
        for (int i = 0; i < settings.analystDetectors().size(); i++) {
            DailyDetector det = settings.analystDetectors().get(i);
            if (t < det.minHistoryDays()) {
                continue;
            }
            int lastAlarm = d.lastAlarmDay[i] == DailyCounts.NONE || d.lastAlarmDay[i] < day - t
                    ? DailyHistory.NO_ALARM : (int) (t - (day - d.lastAlarmDay[i]));
            DailyVerdict v = det.evaluate(new DailyHistory(w, t, date.getDayOfWeek(), lastAlarm));
            if (v.alarm()) {
                d.lastAlarmDay[i] = day;
            }
            boolean bounded = v.defined() && !Double.isInfinite(v.upperbound());
            out.collect(new DetectorAlarm(areaId, signal, methods[i], dateText, v.observed(),
                    Double.isNaN(v.expected()) ? null : v.expected(), bounded ? v.upperbound() : null, v.alarm()));
            if (v.alarm() && methods[i].equals(settings.alertMethod()) && alerting(signal)) {
                long end = days.endOf(day);
                fire(d, day, ctx, new Firing(end, methods[i], v.observed(), v.expected(), v.upperbound(),
                        v.score(), days.startOf(day), end + 1, Explanations.countSeverity(v.observed(), v.expected()),
                        evidence("period", "day", "day", dateText, "expected",
                                Math.round(v.expected() * 100) / 100.0),
                        Explanations.countAlert(signal, areaId, Explanations.onDay(date), v.observed(), v.expected(),
                                v.upperbound(), end, settings.zone())));
            }
        }
    }

    /**
     * Judges the windows this event completes. Events of one key arrive in no fixed order (the producers'
     * partitions interleave as the consumer happens to fetch them), so an event may come after one from a later
     * hour: it then also lies in windows ending after its own hour, and those are judged again. Only windows ending
     * at an hour with events are judged, as when events come in order, so whatever the arrival order every such
     * window is judged once it is complete and the same spike opens an alert.
     *
     * <p>A window ending on a day already judged is not judged again: that day's lifecycle is done (its end counted
     * toward closing the alert, or closed it), so a firing there would open a new alert dated weeks back whose
     * quiet days are counted from today. Such an event came after the watermark had passed its day (more out of
     * order than the job's bound); like {@link DailyCounts#addLate}, it only counts toward later baselines. In BATCH
     * a key's events never come after their day is judged.
     */
    private void intraday(AreaEvent e, long time, long since, DailyCounts d, ReadOnlyContext ctx)
            throws Exception {
        IntradayDetector det = settings.intraday();
        HourlyCounts h = hourly.value();
        if (h == null) {
            h = new HourlyCounts(det.capacityHours());
        }
        // The state may come from a checkpoint or savepoint of a build whose detector read another history.
        h.fit(det.capacityHours());
        long hour = HourlyCounts.hourOf(time);
        h.add(hour);
        h.knownSince(HourlyCounts.hourOf(since));
        hourly.update(h);
        if (!alerting(e.signal()) || hour < h.oldestKept()) {
            return;
        }
        long lastEnd = Math.min(h.newest, hour + det.windowHours() - 1);
        for (long windowHour = hour; windowHour <= lastEnd; windowHour++) {
            if (days.dayOf(windowHour * HOUR) <= d.newestDay) {
                continue;
            }
            if (windowHour > hour && h.sum(windowHour, 1) == 0) {
                continue;
            }
            DailyVerdict v = det.evaluate(h, windowHour, settings.zone());
            if (v.alarm()) {
                // A window ending after this event's hour was completed by it; it fires at that hour, as it would
                // have had the events come in order.
                fireIntraday(e, windowHour == hour ? time : windowHour * HOUR, windowHour, v, d, ctx);
                return;
            }
        }
    }

    private void fireIntraday(AreaEvent e, long time, long windowHour, DailyVerdict v, DailyCounts d,
            ReadOnlyContext ctx) throws Exception {
        IntradayDetector det = settings.intraday();
        long end = (windowHour + 1) * HOUR;
        fire(d, days.dayOf(time), ctx, new Firing(time, det.method(), v.observed(),
                v.expected(), v.upperbound(), v.score(), end - det.windowHours() * HOUR, end,
                Explanations.countSeverity(v.observed(), v.expected()),
                evidence("period", det.windowHours() + "h", "expected", Math.round(v.expected() * 100) / 100.0),
                Explanations.countAlert(e.signal(), e.area(), "in the last " + det.windowHours() + " hours",
                        v.observed(), v.expected(), v.upperbound(), time, settings.zone())));
    }

    /**
     * Evidence facts in the order given. Not Map.of: its iteration order changes from one JVM to the next, and the
     * evidence JSON would then differ between two backfills of the same input.
     */
    private static Map<String, Object> evidence(Object... keysAndValues) {
        Map<String, Object> facts = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            facts.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return facts;
    }

    private void fire(DailyCounts d, long day, ReadOnlyContext ctx, Firing f) throws Exception {
        if (!batch && d.nextEvalDay != DailyCounts.NONE && day > d.nextEvalDay) {
            HeldFirings.hold(held, day, f);
            return;
        }
        SpikeTracker s = spike.value();
        if (s == null) {
            s = new SpikeTracker(settings.quietDaysToClose());
        }
        emit(ctx, s.fire(area.value(), DetectionKeys.signalOfAreaSignal(ctx.getCurrentKey()).code(), f));
        spike.update(s);
        d.lastFiringDay = Math.max(d.lastFiringDay, day);
        if (d.nextEvalDay == DailyCounts.NONE) {
            d.nextEvalDay = d.newestDay + 1;
            ctx.timerService().registerEventTimeTimer(days.endOf(d.nextEvalDay));
        }
    }

    /** The intraday firings held for {@code day}, into the lifecycle, once the days before it are judged. */
    private void release(DailyCounts d, long day, ReadOnlyContext ctx) throws Exception {
        HeldFirings h = HeldFirings.take(held, day);
        if (h == null) {
            return;
        }
        SpikeTracker s = spike.value();
        if (s == null) {
            s = new SpikeTracker(settings.quietDaysToClose());
        }
        h.replay(s, area.value(), DetectionKeys.signalOfAreaSignal(ctx.getCurrentKey()).code(), a -> emit(ctx, a));
        spike.update(s);
        d.lastFiringDay = Math.max(d.lastFiringDay, day);
    }

    private boolean alerting(String signal) {
        return settings.alertSignals().contains(signal);
    }

    private static void emit(ReadOnlyContext ctx, Optional<Alert> a) {
        a.ifPresent(alert -> ctx.output(ALERTS, alert));
    }
}
