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
import java.util.stream.Collectors;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;

/**
 * The space-time scan in the whole detection graph on a local cluster: eight areas in a row, five with ordinary
 * traffic, three (6, 7, 8) that have never had an event. Seven weeks after the city's start, two calls come in
 * each of the three quiet areas in one day, twelve hours apart: no area's own detectors alert (two calls in an
 * 8-hour window or a day are under the bound of an area quiet for seven weeks), and the scan opens one alert for
 * the three areas together.
 */
class ClusterScanMiniClusterTest {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(
            new MiniClusterResourceConfiguration.Builder().setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2)
                    .build());

    private static final int DAYS = 60;
    private static final int CLUSTER_DAY = 50;
    private static final Map<String, String> NAMES = Map.of("1", "Area One", "2", "Area Two", "3", "Area Three",
            "4", "Area Four", "5", "Area Five", "6", "Regent Park", "7", "Moss Park", "8", "South Riverdale");

    @ParameterizedTest
    @EnumSource(value = RuntimeExecutionMode.class, names = {"STREAMING", "BATCH"})
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aClusterOverThreeQuietAdjacentAreasOpensExactlyOneAlert(RuntimeExecutionMode mode) throws Exception {
        List<DeidentifiedEvent> events = new ArrayList<>();
        for (int area = 1; area <= 5; area++) {
            for (String signal : List.of("paramedic", "naloxone")) {
                events.addAll(TestEvents.quietAreaWithSpike(Integer.toString(area), signal, DAYS, -1, 0));
            }
        }
        for (String area : List.of("6", "7", "8")) {
            events.add(TestEvents.event(area, "paramedic", TestEvents.at(CLUSTER_DAY, 8, 20)));
            events.add(TestEvents.event(area, "paramedic", TestEvents.at(CLUSTER_DAY, 20, 40)));
        }
        events.sort(Comparator.comparingLong(DeidentifiedEvent::getOccurredMinute));

        List<Alert> alerts = alerts(mode, events);

        assertEquals(1, alerts.stream().map(Alert::getSpikeId).distinct().count(), () -> "one alert, for the cluster: "
                + alerts.stream().map(a -> a.getAreaId() + " " + a.getMethod() + " " + a.getStatus() + " " + a.getExplanation()).toList());
        assertEquals(Set.of(SpaceTimeScan.METHOD), alerts.stream().map(Alert::getMethod).collect(Collectors.toSet()),
                "no area alone alerts");
        Alert opened = alerts.get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals("7", opened.getAreaId(), "keyed by the zone's centre");
        assertEquals("paramedic", opened.getSignal());
        assertEquals(TestEvents.at(CLUSTER_DAY, 23, 0), opened.getOpenedAt(), "at the end of the cluster's day");
        assertEquals(6, opened.getObserved());
        assertTrue(opened.getExplanation().startsWith("More paramedic calls for suspected overdoses than usual in"
                + " Moss Park and two neighbouring areas (Regent Park and South Riverdale), taken together: 6 on Tue"
                + " 24 Feb 2026, when"), opened.getExplanation());
        assertTrue(opened.getEvidence().contains("\"areas\":[\"7\",\"6\",\"8\"]"), opened.getEvidence());
        Alert last = alerts.get(alerts.size() - 1);
        assertEquals("closed", last.getStatus(), "closed once the cluster's day has left the windows");
        assertTrue(alerts.subList(1, alerts.size() - 1).stream().allMatch(a -> a.getStatus().equals("updated")));
    }

    private static List<Alert> alerts(RuntimeExecutionMode mode, List<DeidentifiedEvent> events) throws Exception {
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
        Map<String, List<String>> row = Map.of("1", List.of("2"), "2", List.of("1", "3"), "3", List.of("2", "4"),
                "4", List.of("3", "5"), "5", List.of("4", "6"), "6", List.of("5", "7"), "7", List.of("6", "8"),
                "8", List.of("7"));
        DetectionStreams out = Detection.attach(stream, DetectionSettings.defaults(Map.of()),
                ScanSettings.defaults(row, NAMES), DetectionKeys.Scheme.hashed());

        List<Alert> alerts = new ArrayList<>();
        try (CloseableIterator<Alert> it = out.alerts().executeAndCollect()) {
            it.forEachRemaining(alerts::add);
        }
        alerts.sort(Comparator.comparingLong(Alert::getUpdatedAt));
        return alerts;
    }
}
