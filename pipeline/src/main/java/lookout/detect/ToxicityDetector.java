package lookout.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import lookout.kernel.AlertSignals;
import lookout.ingest.SubstanceVocabulary;
import lookout.kernel.Signal;
import lookout.schema.Alert;

/**
 * The multi-signal toxicity alert per area (key: {@link DetectionKeys#area}), with its own lifecycle (signal
 * {@code multi}). State: hourly paramedic, naloxone and combined counts (fixed rings), the latest finding per
 * substance term within the retention (bounded by the vocabulary), and the open alert. Day ends for the lifecycle come from timers while an
 * alert is open and, in BATCH as in {@link AreaSignalDetector}, from this key's later records, so BATCH and STREAMING
 * agree.
 * As there, the hourly counts of every area start when the city's do, each signal's when the city's of that
 * signal do (the broadcast {@link WatchingSince}).
 *
 * <p>In STREAMING a firing of a day after the next day end to run waits ({@link HeldFirings}) until the day ends
 * before it have run, so it meets the alert as they left it however far the watermark jumps at once: applied at
 * once, a second spike weeks later kept the first alert open through the quiet weeks between (a held firing's
 * alert is open, so the tracker already knows its area).
 */
public final class ToxicityDetector extends KeyedBroadcastProcessFunction<Long, ToxicityInput, WatchedPeriod, Alert> {
    private static final long serialVersionUID = 1L;
    public static final String SIGNAL = AlertSignals.TOXICITY;

    private final DetectionSettings settings;
    private final boolean batch;
    private transient ValueState<HourlyCounts> paramedic;
    private transient ValueState<HourlyCounts> naloxone;
    private transient ValueState<HourlyCounts> overdoses;
    private transient MapState<String, Finding> findings;
    private transient ValueState<SpikeTracker> spike;
    /** The earliest event time of each signal this subtask has seen, of any key ({@code WatchingSince.known}). */
    private transient WatchingSince.SeenHere seen;
    /** Next day end to process for the open alert's lifecycle (epoch day), absent when none is open. */
    private transient ValueState<Long> nextDay;
    private transient ValueState<Long> lastFiringDay;
    /** STREAMING: firings of days after the next day end to run, until it has run (see {@link HeldFirings}). */
    private transient MapState<Long, HeldFirings> held;

    /** @param batch whether the job runs in BATCH, where a key's records arrive in time order and timers fire last */
    public ToxicityDetector(DetectionSettings settings, boolean batch) {
        this.settings = settings;
        this.batch = batch;
    }

    @Override
    public void open(OpenContext ctx) {
        seen = new WatchingSince.SeenHere();
        TypeInformation<HourlyCounts> hc = TypeInformation.of(HourlyCounts.class);
        paramedic = getRuntimeContext().getState(new ValueStateDescriptor<>(Signal.PARAMEDIC.code(), hc));
        naloxone = getRuntimeContext().getState(new ValueStateDescriptor<>(Signal.NALOXONE.code(), hc));
        overdoses = getRuntimeContext().getState(new ValueStateDescriptor<>("overdoses", hc));
        findings = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("findings", Types.STRING, TypeInformation.of(Finding.class)));
        spike = getRuntimeContext().getState(new ValueStateDescriptor<>("spike", TypeInformation.of(SpikeTracker.class)));
        nextDay = getRuntimeContext().getState(new ValueStateDescriptor<>("nextDay", Types.LONG));
        lastFiringDay = getRuntimeContext().getState(new ValueStateDescriptor<>("lastFiringDay", Types.LONG));
        held = getRuntimeContext().getMapState(HeldFirings.state());
    }

    @Override
    public void processBroadcastElement(WatchedPeriod period, Context ctx, Collector<Alert> out) throws Exception {
        WatchingSince.remember(ctx.getBroadcastState(WatchingSince.BROADCAST), period);
    }

    @Override
    public void processElement(ToxicityInput in, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        DayClock clock = new DayClock(settings.zone());
        if (batch) {
            closeDays(in.time - settings.latenessMillis(), clock, out);
        }
        ToxicityRule rule = settings.toxicity();
        // Read once: the rule judges the counts this event adds to, and an alarming area reaches it on every event.
        HourlyCounts p = fitted(paramedic, rule);
        HourlyCounts n = fitted(naloxone, rule);
        HourlyCounts both = fitted(overdoses, rule);
        if (in.finding != null) {
            Finding previous = findings.get(in.finding.substance);
            if (previous == null || previous.time <= in.finding.time) {
                findings.put(in.finding.substance, in.finding);
            }
        } else {
            long hour = HourlyCounts.hourOf(in.time);
            boolean isParamedic = Signal.PARAMEDIC.is(in.signal);
            Signal signal = isParamedic ? Signal.PARAMEDIC : Signal.NALOXONE;
            long since = HourlyCounts.hourOf(WatchingSince.known(ctx.getBroadcastState(WatchingSince.BROADCAST),
                    settings, signal, seen.saw(signal, in.time)));
            if (isParamedic) {
                p = counted(paramedic, p, hour, since, rule.capacityHours());
            } else {
                n = counted(naloxone, n, hour, since, rule.capacityHours());
            }
            // The sum's hours start at the start of each event's signal: once both have come, the earlier of the two.
            both = counted(overdoses, both, hour, since, rule.capacityHours());
        }
        List<Finding> recent = new ArrayList<>();
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Finding> f : findings.entries()) {
            // A name outside the vocabulary can only come from state checkpointed before it: never let it speak.
            if (f.getValue().time <= in.time - rule.findingRetentionMillis()
                    || !SubstanceVocabulary.standard().isTerm(f.getKey())) {
                expired.add(f.getKey());
            } else {
                recent.add(f.getValue());
            }
        }
        for (String s : expired) {
            findings.remove(s);
        }
        if (p == null || n == null || recent.isEmpty()) {
            return;
        }
        Optional<Firing> f = Optional.empty();
        for (long t : judgedAt(in, p, n, rule)) {
            f = rule.evaluate(in.area, p, n, both, recent, t, settings.zone());
            if (f.isPresent()) {
                break;
            }
        }
        if (f.isEmpty()) {
            return;
        }
        long day = clock.dayOf(f.get().time());
        Long next = nextDay.value();
        if (!batch && next != null && day > next) {
            HeldFirings.hold(held, day, f.get());
            return;
        }
        SpikeTracker s = spike.value();
        if (s == null) {
            s = new SpikeTracker(settings.quietDaysToClose());
        }
        s.fire(in.area, SIGNAL, f.get()).ifPresent(out::collect);
        spike.update(s);
        lastFiringDay.update(day);
        if (next == null) {
            nextDay.update(day);
            ctx.timerService().registerEventTimeTimer(clock.endOf(day));
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        DayClock clock = new DayClock(settings.zone());
        long watermark = ctx.timerService().currentWatermark();
        closeDays(Math.max(timestamp, watermark), clock, out);
        Long next = nextDay.value();
        // At the end of bounded input the watermark is +inf and closeDays has already run every day.
        if (next != null && watermark != Long.MAX_VALUE) {
            ctx.timerService().registerEventTimeTimer(clock.endOf(next));
        }
    }

    /**
     * When to judge the area on this input: an overdose at its time; a finding at its time and, when overdoses
     * after it have already arrived (drug-checking results often come in after the calls, and a stream's sources
     * are read at their own pace), at the end of each later hour they reach within the finding's retention, so a
     * finding judges the overdoses it may explain whichever arrived first (BATCH sorts them; STREAMING need not).
     */
    private static List<Long> judgedAt(ToxicityInput in, HourlyCounts p, HourlyCounts n, ToxicityRule rule) {
        List<Long> times = new ArrayList<>(List.of(in.time));
        if (in.finding == null) {
            return times;
        }
        long hour = HourlyCounts.hourOf(in.time);
        long last = Math.min(Math.max(p.newest, n.newest),
                HourlyCounts.hourOf(in.time + rule.findingRetentionMillis() - 1));
        for (long h = hour + 1; h <= last; h++) {
            times.add(h * 3_600_000L + 3_599_999L);
        }
        return times;
    }

    /**
     * Runs the open alert's day ends up to {@code time}; the chain ends when the alert closes. Runs on every input,
     * so state is written only when a day end has passed.
     */
    private void closeDays(long time, DayClock clock, Collector<Alert> out) throws Exception {
        Long next = nextDay.value();
        if (next == null || clock.endOf(next) > time) {
            return;
        }
        SpikeTracker s = spike.value();
        while (next != null && s != null && clock.endOf(next) <= time) {
            Long fired = lastFiringDay.value();
            s.endOfDay(clock.endOf(next), fired != null && fired >= next).ifPresent(out::collect);
            // The firings held for the next day (or, once the alert has closed, the first day with any: they open
            // the next alert) go in now the days before it have run, not at that day's end: live, a firing just
            // after midnight waits only for the watermark to pass midnight.
            next = s.open ? Long.valueOf(next + 1) : firstHeld();
            if (next != null) {
                release(s, next, out);
            }
        }
        nextDay.update(next);
        spike.update(s != null && s.open ? s : null);
    }

    /** The firings held for {@code day}, into the lifecycle, once the day ends before it have run. */
    private void release(SpikeTracker s, long day, Collector<Alert> out) throws Exception {
        HeldFirings h = HeldFirings.take(held, day);
        if (h == null) {
            return;
        }
        h.replay(s, s.areaId, SIGNAL, a -> a.ifPresent(out::collect));
        lastFiringDay.update(day);
    }

    /** The earliest day with firings held, or null. */
    private Long firstHeld() throws Exception {
        Long first = null;
        for (Long day : held.keys()) {
            first = first == null ? day : Math.min(first, day);
        }
        return first;
    }

    /**
     * The value of {@code state} (null before its first event) with the capacity the rule reads: the state may come
     * from a checkpoint or savepoint of a build whose rule read another history ({@link HourlyCounts#fit}).
     */
    private static HourlyCounts fitted(ValueState<HourlyCounts> state, ToxicityRule rule) throws Exception {
        HourlyCounts h = state.value();
        if (h != null) {
            h.fit(rule.capacityHours());
        }
        return h;
    }

    /** {@code counts} (the value of {@code state}, null before its first event) with one more event, stored. */
    private static HourlyCounts counted(ValueState<HourlyCounts> state, HourlyCounts counts, long hour, long sinceHour,
            int capacity) throws Exception {
        HourlyCounts h = counts == null ? new HourlyCounts(capacity) : counts;
        h.add(hour);
        h.knownSince(sinceHour);
        state.update(h);
        return h;
    }
}
