package lookout.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
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
 * first, in STREAMING or BATCH. A snapshot older than the one already seen (a backfill sorts by key only, not by
 * time) is dropped, so what leaves is always the alert's newest state.
 *
 * <p>Coroner reports keep coming for weeks, so the sentence also says how many deaths are expected once all
 * reports are in ({@link Nowcast}), from the coroner's reporting delays broadcast by {@link ReportingDelayWatch}
 * ({@link #DELAYS}): as known when the snapshot is sent (in BATCH, Flink reads the broadcast input whole first, so
 * as of the end of the data). Days here are UTC days, the delays' ages local days: an evening's death may be taken
 * as a day younger than it is, which only makes the expected count a little higher.
 *
 * <p>State: deaths per day for {@link #RETENTION_DAYS} days (at most that many entries) and the latest snapshot of
 * alerts whose window ended within that time; broadcast, the latest shares per signal.
 */
public final class CoronerConfirmation
        extends KeyedBroadcastProcessFunction<Long, ConfirmationInput, ReportingShares, Alert> {
    private static final long serialVersionUID = 1L;
    static final int RETENTION_DAYS = 120;
    private static final long DAY = 86_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The latest reporting shares by signal (only the coroner's are read). */
    public static final MapStateDescriptor<String, ReportingShares> DELAYS = new MapStateDescriptor<>(
            "reporting-shares", Types.STRING, TypeInformation.of(ReportingShares.class));

    private transient MapState<Long, Integer> deathsByDay;
    private transient MapState<String, Alert> alerts;

    @Override
    public void open(OpenContext ctx) {
        deathsByDay = getRuntimeContext().getMapState(new MapStateDescriptor<>("deaths", Types.LONG, Types.INT));
        alerts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("alerts", Types.STRING, TypeInformation.of(Alert.class)));
    }

    @Override
    public void processBroadcastElement(ReportingShares shares, Context ctx, Collector<Alert> out) throws Exception {
        BroadcastState<String, ReportingShares> state = ctx.getBroadcastState(DELAYS);
        ReportingShares known = state.get(shares.signal);
        if (known == null || shares.asOfDay > known.asOfDay) {
            state.put(shares.signal, shares);
        }
    }

    @Override
    public void processElement(ConfirmationInput in, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        ReportingShares shares = ctx.getBroadcastState(DELAYS).get(Signal.CORONER.code());
        if (in.alert != null) {
            Alert a = in.alert;
            Alert stored = alerts.get(a.getSpikeId());
            if (stored != null && !SpikeTracker.supersedes(a, stored)) {
                return;
            }
            alerts.put(a.getSpikeId(), a);
            int deaths = deathsIn(a);
            out.collect(deaths > 0 ? confirmed(a, deaths, nowcast(a, shares)) : a);
            return;
        }
        long day = Math.floorDiv(in.coronerTime, DAY);
        Integer c = deathsByDay.get(day);
        deathsByDay.put(day, c == null ? 1 : c + 1);
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, Alert> e : alerts.entries()) {
            Alert a = e.getValue();
            if (windowEnd(a) < in.coronerTime - RETENTION_DAYS * DAY) {
                expired.add(e.getKey());
            } else if (inWindow(a, in.coronerTime)) {
                out.collect(confirmed(a, deathsIn(a), nowcast(a, shares)));
            }
        }
        for (String k : expired) {
            alerts.remove(k);
        }
        List<Long> old = new ArrayList<>();
        for (Long d : deathsByDay.keys()) {
            if (d < day - RETENTION_DAYS) {
                old.add(d);
            }
        }
        for (Long d : old) {
            deathsByDay.remove(d);
        }
    }

    private int deathsIn(Alert a) throws Exception {
        int n = 0;
        for (long d = Math.floorDiv(a.getWindowStart() - DAY, DAY); d <= Math.floorDiv(windowEnd(a) + DAY, DAY);
                d++) {
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
        for (long d = Math.floorDiv(a.getWindowStart() - DAY, DAY); d <= Math.floorDiv(windowEnd(a) + DAY, DAY);
                d++) {
            Integer c = deathsByDay.get(d);
            days.add(new Nowcast.Day(c == null ? 0 : c, shares.shareOf(d)));
        }
        return Nowcast.of(days);
    }

    private static boolean inWindow(Alert a, long t) {
        return Math.floorDiv(t, DAY) >= Math.floorDiv(a.getWindowStart() - DAY, DAY)
                && Math.floorDiv(t, DAY) <= Math.floorDiv(windowEnd(a) + DAY, DAY);
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
