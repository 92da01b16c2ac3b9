package lookout.detect;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.kernel.Signal;
import lookout.schema.Alert;

/**
 * Coroner reports arrive weeks late, so they never gate an alert; they confirm past ones. Keyed by area, this
 * forwards every alert snapshot and, once suspected overdose deaths are reported inside an alert's window (a day
 * either side), republishes that alert's latest snapshot, same status, with the deaths in its evidence and a
 * sentence in its explanation. The latest snapshot per spike_id therefore carries the deaths whichever arrived
 * first. A snapshot older than the one already seen is dropped, so what leaves is always the alert's newest state.
 *
 * <p>Coroner reports keep coming for weeks, so the sentence also says how many deaths are expected once all reports
 * are in ({@link Nowcast}), from the coroner's reporting shares broadcast by {@link ReportingDelayWatch}
 * ({@link #SHARES}). The deaths counted and the shares quoted are both those as of the end of the same local day,
 * whatever the watermark does:
 * <ul>
 * <li>a death counts from the end of the day it was reported on (a timer: a report made today about yesterday counts
 * tonight), when every alert it falls in is republished quoting the shares as of that day, which count it as in;
 * <li>a snapshot sent on a day is taken once the watermark has passed the end of the day before (live that is at
 * once, except in the first minutes after midnight), with the deaths counted by then and the shares as of that day
 * before.
 * </ul>
 * The shares as of a day are those {@link ReportingDelayWatch} sent at its end, or the latest before it when no
 * report was made that day: once the watermark has passed that end they are all here, and later ones are not read.
 * So in STREAMING the output is the same whether the watermark passes each day's end in turn or jumps over many days
 * at once (a replayed history, a restored job catching up) as long as each input comes before the watermark passes
 * the end of its own day; one that comes later (a report that reached the job the day after it was made) is taken at
 * once, a death at the next watermark. In BATCH, Flink reads the broadcast input whole first, with the watermark at
 * its start, so every day's shares are kept, and fires a key's timers in order at the end of its input: every input
 * waits for its day, and a backfill quotes the same shares as STREAMING. Deaths are counted by UTC day, the shares'
 * ages by local day: an evening's death may be taken as a day younger than it is, which only makes the expected count
 * a little higher.
 *
 * <p>State, never growing with events: the deaths counted per UTC day for {@link #RETENTION_DAYS} days before the
 * day being processed (not before the latest death that came: in a jump the detectors hold an alert while deaths of
 * months later overtake it) and the latest snapshot of alerts whose window ended within that time; for the days the
 * watermark has yet to pass, the deaths reported on each, per day they occurred on (those too old to be kept by then
 * are dropped), and the snapshots waiting (at most one an hour per alert, unless its severity rises). Broadcast: the
 * shares by as-of day, from the latest as of {@link #RETENTION_DAYS} days before the watermark on.
 */
public final class CoronerConfirmation
        extends KeyedBroadcastProcessFunction<Long, ConfirmationInput, ReportingShares, Alert> {
    private static final long serialVersionUID = 1L;
    static final int RETENTION_DAYS = 120;
    private static final long DAY = 86_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The coroner's reporting shares by as-of day, a local epoch day (other signals' are not kept). */
    public static final MapStateDescriptor<Long, ReportingShares> SHARES = new MapStateDescriptor<>(
            "coroner-shares-by-day", Types.LONG, TypeInformation.of(ReportingShares.class));

    private final ZoneId zone;
    private transient DayClock clock;
    /** Deaths counted, by the UTC day they occurred on. */
    private transient MapState<Long, Integer> deathsByDay;
    private transient MapState<String, Alert> alerts;
    /** Deaths not counted yet, by the local day they were reported on, then by the UTC day they occurred on. */
    private transient MapState<Long, Map<Long, Integer>> reportedOn;
    /** Snapshots waiting for the watermark to pass the end of the day before theirs, by that day, as they came. */
    private transient MapState<Long, List<Alert>> waiting;

    public CoronerConfirmation(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public void open(OpenContext ctx) {
        clock = new DayClock(zone);
        deathsByDay = getRuntimeContext().getMapState(new MapStateDescriptor<>("deaths", Types.LONG, Types.INT));
        alerts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("alerts", Types.STRING, TypeInformation.of(Alert.class)));
        reportedOn = getRuntimeContext().getMapState(new MapStateDescriptor<>("deaths-by-report-day", Types.LONG,
                Types.MAP(Types.LONG, Types.INT)));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-snapshots", Types.LONG,
                Types.LIST(TypeInformation.of(Alert.class))));
    }

    @Override
    public void processBroadcastElement(ReportingShares shares, Context ctx, Collector<Alert> out) throws Exception {
        if (!Signal.CORONER.is(shares.signal)) {
            return;
        }
        BroadcastState<Long, ReportingShares> byDay = ctx.getBroadcastState(SHARES);
        byDay.put(shares.asOfDay, shares);
        // The days still to come are from the day before the watermark's on; late inputs may read older shares.
        Long oldestRead = latestUpTo(byDay, clock.dayOf(ctx.currentWatermark()) - RETENTION_DAYS);
        if (oldestRead == null) {
            return;
        }
        List<Long> unread = new ArrayList<>();
        for (Map.Entry<Long, ReportingShares> e : byDay.immutableEntries()) {
            if (e.getKey() < oldestRead) {
                unread.add(e.getKey());
            }
        }
        for (Long d : unread) {
            byDay.remove(d);
        }
    }

    @Override
    public void processElement(ConfirmationInput in, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        TimerService timers = ctx.timerService();
        if (in.alert == null) {
            countAtEndOfReportDay(in, timers);
            return;
        }
        long dayBefore = clock.dayOf(in.alert.getUpdatedAt()) - 1;
        if (timers.currentWatermark() >= clock.endOf(dayBefore)) {
            take(in.alert, dayBefore, ctx.getBroadcastState(SHARES), out);
            return;
        }
        List<Alert> held = waiting.get(dayBefore);
        held = held == null ? new ArrayList<>() : new ArrayList<>(held);
        held.add(in.alert);
        waiting.put(dayBefore, held);
        timers.registerEventTimeTimer(clock.endOf(dayBefore));
    }

    /** Keeps a death until the end of the day it was reported on; one too old to be kept by then is dropped. */
    private void countAtEndOfReportDay(ConfirmationInput in, TimerService timers) throws Exception {
        long reported = clock.dayOf(in.coronerReportedTime);
        long occurred = Math.floorDiv(in.coronerTime, DAY);
        if (occurred < oldestDayKept(reported)) {
            return;
        }
        Map<Long, Integer> deaths = reportedOn.get(reported);
        deaths = deaths == null ? new HashMap<>() : new HashMap<>(deaths);
        deaths.merge(occurred, 1, Integer::sum);
        reportedOn.put(reported, deaths);
        timers.registerEventTimeTimer(clock.endOf(reported));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        long day = clock.dayOf(timestamp);
        ReadOnlyBroadcastState<Long, ReportingShares> shares = ctx.getBroadcastState(SHARES);
        Map<Long, Integer> reported = reportedOn.get(day);
        if (reported != null) {
            reportedOn.remove(day);
            count(reported, day, shares, out);
        }
        List<Alert> held = waiting.get(day);
        if (held != null) {
            waiting.remove(day);
            for (Alert a : held) {
                take(a, day, shares, out);
            }
        }
    }

    /** Counts the deaths reported on {@code day} and republishes each alert they fall in, as of that day. */
    private void count(Map<Long, Integer> reported, long day, ReadOnlyBroadcastState<Long, ReportingShares> shares,
            Collector<Alert> out) throws Exception {
        forgetBefore(day);
        for (Map.Entry<Long, Integer> e : reported.entrySet()) {
            Integer c = deathsByDay.get(e.getKey());
            deathsByDay.put(e.getKey(), (c == null ? 0 : c) + e.getValue());
        }
        ReportingShares asOf = sharesAsOf(shares, day);
        for (Alert a : alerts.values()) {
            if (reported.keySet().stream().anyMatch(d -> d >= firstDay(a) && d <= lastDay(a))) {
                out.collect(confirmed(a, deathsIn(a), nowcast(a, asOf)));
            }
        }
    }

    /** Takes a snapshot sent the day after {@code day}, with the deaths counted by that day's end and its shares. */
    private void take(Alert a, long day, ReadOnlyBroadcastState<Long, ReportingShares> shares, Collector<Alert> out)
            throws Exception {
        forgetBefore(day);
        Alert stored = alerts.get(a.getSpikeId());
        if (stored != null && !SpikeTracker.supersedes(a, stored)) {
            return;
        }
        alerts.put(a.getSpikeId(), a);
        int deaths = deathsIn(a);
        out.collect(deaths > 0 ? confirmed(a, deaths, nowcast(a, sharesAsOf(shares, day))) : a);
    }

    /** Forgets the deaths and alerts more than {@link #RETENTION_DAYS} days older than the end of {@code day}. */
    private void forgetBefore(long day) throws Exception {
        long oldest = oldestDayKept(day);
        List<Long> old = new ArrayList<>();
        for (Long d : deathsByDay.keys()) {
            if (d < oldest) {
                old.add(d);
            }
        }
        for (Long d : old) {
            deathsByDay.remove(d);
        }
        long end = clock.endOf(day);
        List<String> ended = new ArrayList<>();
        for (Map.Entry<String, Alert> e : alerts.entries()) {
            if (windowEnd(e.getValue()) < end - RETENTION_DAYS * DAY) {
                ended.add(e.getKey());
            }
        }
        for (String k : ended) {
            alerts.remove(k);
        }
    }

    /** The oldest UTC day whose deaths are kept while the local {@code day} is processed. */
    private long oldestDayKept(long day) {
        return Math.floorDiv(clock.endOf(day), DAY) - RETENTION_DAYS;
    }

    /** The shares as of {@code day}: the latest sent by its end, or null before any. */
    private static ReportingShares sharesAsOf(ReadOnlyBroadcastState<Long, ReportingShares> shares, long day)
            throws Exception {
        Long asOf = latestUpTo(shares, day);
        return asOf == null ? null : shares.get(asOf);
    }

    private static Long latestUpTo(ReadOnlyBroadcastState<Long, ReportingShares> shares, long day) throws Exception {
        Long latest = null;
        for (Map.Entry<Long, ReportingShares> e : shares.immutableEntries()) {
            if (e.getKey() <= day && (latest == null || e.getKey() > latest)) {
                latest = e.getKey();
            }
        }
        return latest;
    }

    private int deathsIn(Alert a) throws Exception {
        int n = 0;
        for (long d = firstDay(a); d <= lastDay(a); d++) {
            Integer c = deathsByDay.get(d);
            n += c == null ? 0 : c;
        }
        return n;
    }

    /** The deaths around the alert (the days {@link #deathsIn} counts) nowcast, or null before any shares. */
    private Nowcast.Estimate nowcast(Alert a, ReportingShares shares) throws Exception {
        if (shares == null) {
            return null;
        }
        List<Nowcast.Day> days = new ArrayList<>();
        for (long d = firstDay(a); d <= lastDay(a); d++) {
            Integer c = deathsByDay.get(d);
            days.add(new Nowcast.Day(c == null ? 0 : c, shares.shareOf(d)));
        }
        return Nowcast.of(days);
    }

    /** The first UTC day whose deaths confirm {@code a}: the day before its window's. */
    private static long firstDay(Alert a) {
        return Math.floorDiv(a.getWindowStart() - DAY, DAY);
    }

    /** The last UTC day whose deaths confirm {@code a}: the day after its window's end (or closing). */
    private static long lastDay(Alert a) {
        return Math.floorDiv(windowEnd(a) + DAY, DAY);
    }

    private static long windowEnd(Alert a) {
        return a.getClosedAt() != null ? Math.max(a.getClosedAt(), a.getWindowEnd()) : a.getWindowEnd();
    }

    /** {@code a} with the deaths in its evidence and explanation; {@code nowcast} null when no delays are known. */
    static Alert confirmed(Alert a, int deaths, Nowcast.Estimate nowcast) throws Exception {
        Map<String, Object> evidence = JSON.readValue(a.getEvidence(),
                new TypeReference<LinkedHashMap<String, Object>>() {});
        evidence.put("coroner_deaths", Explanations.count(deaths));
        String base = a.getExplanation();
        int cut = base.indexOf(Explanations.CORONER_DEATHS);
        if (cut >= 0) {
            base = base.substring(0, cut);
        }
        return Alert.newBuilder(a)
                .setEvidence(JSON.writeValueAsString(evidence))
                .setExplanation(base + Explanations.coronerDeaths(deaths, nowcast))
                .build();
    }
}
