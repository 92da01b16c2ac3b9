package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;

/** The whole detection graph on a local cluster: one injected spike among eight quiet areas, two signals each. */
class DetectionMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int DAYS = 60;
    private static final int SPIKE_DAY = 50;

    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void anInjectedSpikeOpensUpdatesAndClosesOneAlertAndNothingElseAlerts(RuntimeExecutionMode mode)
            throws Exception {
        List<Alert> alerts = alerts(mode, spikeInAreaThree(), DetectionKeys.Scheme.hashed());

        assertEquals(Set.of("3"), alerts.stream().map(Alert::getAreaId).collect(java.util.stream.Collectors.toSet()),
                "no alert outside the spiked area");
        assertEquals(1, alerts.stream().map(Alert::getSpikeId).distinct().count(), "one spike, one alert");
        // A coroner report confirming the spike re-sends the latest snapshot, so a status may repeat.
        List<String> statuses = new ArrayList<>();
        alerts.stream().map(Alert::getStatus).forEach(st -> {
            if (statuses.isEmpty() || !statuses.get(statuses.size() - 1).equals(st) || st.equals("updated")) {
                statuses.add(st);
            }
        });
        assertEquals("opened", statuses.get(0));
        assertEquals("closed", statuses.get(statuses.size() - 1));
        assertTrue(statuses.subList(1, statuses.size() - 1).stream().allMatch("updated"::equals), statuses.toString());
        assertTrue(statuses.size() >= 3, "updated at least once: " + statuses);
        assertEquals("paramedic", alerts.get(0).getSignal());
        // The spike adds an event an hour from 08:30 where about one a day is usual; the default 8-hour intraday
        // window crosses its bound with the seventh, at 14:30, and the alert opens in that hour, in both modes.
        assertEquals(TestEvents.at(SPIKE_DAY, 14, 0), alerts.get(0).getOpenedAt());
        assertEquals("intraday_8h", alerts.get(0).getMethod());
        assertEquals(TestEvents.at(SPIKE_DAY + 2, 23, 0), alerts.get(alerts.size() - 1).getClosedAt(),
                "closed at the end of the second whole day without a firing");
        Alert last = alerts.get(alerts.size() - 1);
        assertTrue(last.getEvidence().contains("\"coroner_deaths\":\"fewer than 5\""),
                "the coroner-reported death during the spike confirms the alert");
        // The death, reported on day 51, counts from that day's end, and the closing, sent on day 52, is taken then:
        // both quote the delays as of day 51 in either mode. The days of the alert's window and a day either side,
        // 49 to 54 (UTC), are then 2 to 0 days old: 0.5, then 0.25 for each of the five others, of their reports
        // are in (coronerHistory), 0.29 on average: 3 in 10, so 10 / 3 = 3.3, about 3.5 times as many.
        assertTrue(last.getExplanation().endsWith("Coroner reports received since then: fewer than 5 suspected"
                + " overdose deaths in this area around the time of the alert, which supports it. Coroner reports"
                + " come in late: usually only about 3 in 10 are in this soon, so expect about 3.5 times as many"
                + " once all reports are in."), last.getExplanation());
    }

    /** A backfill keyed by the areas' places in the city judges every area as one keyed by their hashes. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aBackfillKeyedByPlaceOpensTheAlertsOfOneKeyedByHash() throws Exception {
        List<String> city = IntStream.rangeClosed(1, 8).mapToObj(Integer::toString).toList();
        DetectionKeys.Scheme byPlace = DetectionKeys.Scheme.of(true, city);
        assertEquals(2, byPlace.type().createSerializer(new SerializerConfigImpl()).getLength(), "two-byte keys");
        List<Alert> hashed = alerts(RuntimeExecutionMode.BATCH, spikeInAreaThree(), DetectionKeys.Scheme.hashed());
        assertTrue(hashed.size() >= 3, "the comparison covers an alert's lifecycle: " + hashed.size());
        assertEquals(hashed, alerts(RuntimeExecutionMode.BATCH, spikeInAreaThree(), byPlace));
    }

    /**
     * Eight quiet areas with two signals each, a spike of paramedic calls in area 3 on {@link #SPIKE_DAY}, a coroner
     * report there that day and area 5's coroner history; in time order.
     */
    private static List<DeidentifiedEvent> spikeInAreaThree() {
        List<DeidentifiedEvent> events = new ArrayList<>();
        for (int area = 1; area <= 8; area++) {
            for (String signal : List.of("paramedic", "naloxone")) {
                boolean spiked = area == 3 && signal.equals("paramedic");
                events.addAll(TestEvents.quietAreaWithSpike(Integer.toString(area), signal, DAYS,
                        spiked ? SPIKE_DAY : -1, 8));
            }
        }
        events.add(TestEvents.reported("3", "coroner", TestEvents.at(SPIKE_DAY, 11, 0), 1));
        events.addAll(coronerHistory());
        events.sort(Comparator.comparingLong(DeidentifiedEvent::getOccurredMinute));
        return events;
    }

    /**
     * Area 5's coroner reports to day 53: every day up to it has four deaths, reported 0, 2, 4 and 6 days later,
     * less those reported after day 53. As of any day from the sixth, their delays are a quarter each: F(0) = F(1)
     * = 0.25, F(2) = F(3) = 0.5, F(4) = F(5) = 0.75, F(6) = 1 (area 3's death, a day late, moves F(0) and F(1) by
     * under 0.003).
     */
    private static List<DeidentifiedEvent> coronerHistory() {
        int asOf = SPIKE_DAY + 3;
        List<DeidentifiedEvent> out = new ArrayList<>();
        for (int day = 0; day <= asOf; day++) {
            for (int delay = 0; delay <= 6 && day + delay <= asOf; delay += 2) {
                out.add(TestEvents.reported("5", "coroner", TestEvents.at(day, 12, 0), delay));
            }
        }
        return out;
    }

    /**
     * A new hotspot: area 9 has never had an event when, seven weeks after the job started watching the city
     * (the other areas' ordinary traffic), five calls come in one evening. Its history starts when the city's
     * does, so its seven quiet weeks are zeros the detectors can judge against, and the third call opens an alert.
     */
    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void theFirstEventsEverInAnAreaOpenAnAlertThatEvening(RuntimeExecutionMode mode) throws Exception {
        List<DeidentifiedEvent> events = new ArrayList<>();
        for (int area = 1; area <= 7; area++) {
            for (String signal : List.of("paramedic", "naloxone")) {
                events.addAll(TestEvents.quietAreaWithSpike(Integer.toString(area), signal, DAYS, -1, 0));
            }
        }
        int[][] evening = {{19, 10}, {19, 40}, {20, 20}, {21, 0}, {21, 30}};
        for (int[] t : evening) {
            events.add(TestEvents.event("9", "paramedic", TestEvents.at(SPIKE_DAY, t[0], t[1])));
        }
        events.sort(Comparator.comparingLong(DeidentifiedEvent::getOccurredMinute));

        List<Alert> alerts = alerts(mode, events, DetectionKeys.Scheme.hashed());

        assertEquals(Set.of("9"), alerts.stream().map(Alert::getAreaId).collect(java.util.stream.Collectors.toSet()),
                "the new hotspot alerts, nothing else does");
        Alert opened = alerts.get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals("intraday_8h", opened.getMethod());
        // Seven weeks of zeros put the 8-hour bound at 2: the third call, at 20:20, crosses it.
        assertEquals(TestEvents.at(SPIKE_DAY, 20, 0), opened.getOpenedAt());
        assertEquals(2.0, opened.getThreshold());
    }

    private static List<Alert> alerts(RuntimeExecutionMode mode, List<DeidentifiedEvent> events,
            DetectionKeys.Scheme keys) throws Exception {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setRuntimeMode(mode);
        env.setParallelism(2);
        DataStream<DeidentifiedEvent> stream = env.fromData(DeidentifiedEvent.class, events.toArray(
                new DeidentifiedEvent[0])).assignTimestampsAndWatermarks(
                        WatermarkStrategy.<DeidentifiedEvent>forBoundedOutOfOrderness(Duration.ofHours(1))
                                .withTimestampAssigner((e, ts) -> e.getOccurredMinute()));
        DetectionStreams out = Detection.attach(stream, DetectionSettings.defaults(Map.of("3", Set.of("2", "4"))),
                ScanSettings.none(), keys);

        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> it = out.alerts().executeAndCollect()) {
            it.forEachRemaining(alerts::add);
        }
        alerts.sort(Comparator.comparingLong(Alert::getUpdatedAt));
        return alerts;
    }
}
