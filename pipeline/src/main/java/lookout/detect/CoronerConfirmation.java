package lookout.detect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import lookout.schema.Alert;

/**
 * Coroner reports arrive weeks late, so they never gate an alert; they confirm past ones. Keyed by area, this
 * forwards every alert snapshot and, once suspected overdose deaths are reported inside an alert's window (a day
 * either side), republishes that alert's latest snapshot, same status, with the deaths in its evidence and a
 * sentence in its explanation. The latest snapshot per spike_id therefore carries the deaths whichever arrived
 * first, in STREAMING or BATCH. A snapshot older than the one already seen (a backfill sorts by key only, not by
 * time) is dropped, so what leaves is always the alert's newest state.
 *
 * <p>State: deaths per day for {@link #RETENTION_DAYS} days (at most that many entries) and the latest snapshot of
 * alerts whose window ended within that time.
 */
public final class CoronerConfirmation extends KeyedProcessFunction<String, ConfirmationInput, Alert> {
    private static final long serialVersionUID = 1L;
    static final int RETENTION_DAYS = 120;
    private static final long DAY = 86_400_000L;
    private static final ObjectMapper JSON = new ObjectMapper();

    private transient MapState<Long, Integer> deathsByDay;
    private transient MapState<String, Alert> alerts;

    @Override
    public void open(OpenContext ctx) {
        deathsByDay = getRuntimeContext().getMapState(new MapStateDescriptor<>("deaths", Types.LONG, Types.INT));
        alerts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("alerts", Types.STRING, TypeInformation.of(Alert.class)));
    }

    @Override
    public void processElement(ConfirmationInput in, Context ctx, Collector<Alert> out) throws Exception {
        if (in.alert != null) {
            Alert a = in.alert;
            Alert stored = alerts.get(a.getSpikeId());
            if (stored != null && !SpikeTracker.supersedes(a, stored)) {
                return;
            }
            alerts.put(a.getSpikeId(), a);
            int deaths = deathsIn(a);
            out.collect(deaths > 0 ? confirmed(a, deaths) : a);
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
                out.collect(confirmed(a, deathsIn(a)));
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

    private static boolean inWindow(Alert a, long t) {
        return Math.floorDiv(t, DAY) >= Math.floorDiv(a.getWindowStart() - DAY, DAY)
                && Math.floorDiv(t, DAY) <= Math.floorDiv(windowEnd(a) + DAY, DAY);
    }

    private static long windowEnd(Alert a) {
        return a.getClosedAt() != null ? Math.max(a.getClosedAt(), a.getWindowEnd()) : a.getWindowEnd();
    }

    static Alert confirmed(Alert a, int deaths) throws Exception {
        Map<String, Object> evidence = JSON.readValue(a.getEvidence(),
                new TypeReference<LinkedHashMap<String, Object>>() {});
        evidence.put("coroner_deaths", Explanations.count(deaths));
        String base = a.getExplanation();
        int cut = base.indexOf(" Coroner reports");
        if (cut >= 0) {
            base = base.substring(0, cut);
        }
        return Alert.newBuilder(a)
                .setEvidence(JSON.writeValueAsString(evidence))
                .setExplanation(base + " Coroner reports received since then: " + Explanations.count(deaths)
                        + " suspected overdose deaths in this area around the time of the alert, which supports it.")
                .build();
    }
}
