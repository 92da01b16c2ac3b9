package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

/**
 * The scan operator in STREAMING judges a day on what was known of it and the days before, whether the watermark
 * passes each day's end in turn or jumps over many days at once (a backlog, a replayed history).
 */
class ClusterScanDetectorTest {
    /** Five areas in a row, 1 to 5, named as Toronto's from Cabbagetown to Leslieville. */
    private static final Map<String, Set<String>> ROW = Map.of("1", Set.of("2"), "2", Set.of("1", "3"),
            "3", Set.of("2", "4"), "4", Set.of("3", "5"), "5", Set.of("4"));
    private static final Map<String, String> NAMES = Map.of("1", "Cabbagetown", "2", "Regent Park", "3", "Moss Park",
            "4", "South Riverdale", "5", "Leslieville");
    private static final int DAYS = 20;
    private static final int CLUSTER_DAY = 10;
    private static final int OWN_ALERT_DAY = 12;
    private static final DayClock CLOCK = new DayClock(TestEvents.TORONTO);

    /**
     * Two calls in each of Regent Park, Moss Park and South Riverdale on day 10, where each usually sees 0.05 a
     * day: 6 against 0.15, a likelihood ratio of 16.3, above the threshold of 14. Moss Park's own detector fires on
     * day 12. Judged day by day, the cluster opens on day 10. Judged after a jump of the watermark over all twenty
     * days, it must too: Moss Park's later firing may not drop its day-10 calls from that day's scan (4 against
     * 0.10, 10.9, would open nothing).
     */
    @Test
    void aDayIsJudgedTheSameWhenTheWatermarkJumpsOverItAsWhenItPassesEachDay() throws Exception {
        List<Alert> dayByDay = run(true);
        assertEquals(describe(dayByDay), describe(run(false)));
        Alert opened = dayByDay.get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals("3", opened.getAreaId(), "keyed by the zone's centre");
        assertEquals(6, opened.getObserved());
        assertEquals(CLOCK.startOf(CLOCK.dayOf(TestEvents.at(CLUSTER_DAY, 12, 0))) + 23 * 3_600_000L,
                opened.getOpenedAt());
    }

    /**
     * An area detector's subtask can deliver its verdicts of many days before the scan reads its first event (the
     * scan's task started late). Those of later days may not push the earlier days' expectations out of the watch:
     * five areas with their usual call a day, against an expectation of one, open nothing whichever came first.
     * Put in the watch at once, Leslieville's verdicts of days 24 to 39 took the ring's slots, the other areas'
     * expectations of the days before were dropped, and they were judged as never judged: a "cluster" of their
     * usual calls.
     */
    @Test
    void verdictsOfLaterDaysBeforeTheFirstEventHideNoEarlierDay() throws Exception {
        assertEquals(List.of(), describe(usualDays(false)), "the events first");
        assertEquals(List.of(), describe(usualDays(true)), "Leslieville's verdicts of every day before any event");
    }

    /**
     * Forty days of one call a day in each area, from day 1, each day's expectations of one call as the watermark
     * passes its end; with {@code verdictsFirst} Leslieville's verdicts of all forty days (day 0 too) come before
     * any event.
     */
    private static List<Alert> usualDays(boolean verdictsFirst) throws Exception {
        ClusterScanDetector scan = new ClusterScanDetector(DetectionSettings.defaults(Map.of()),
                ScanSettings.defaults(ROW, NAMES), false);
        try (KeyedOneInputStreamOperatorTestHarness<Byte, ScanInput, Alert> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(scan, in -> DetectionKeys.signal(in.signal), Types.BYTE)) {
            int usualDays = 40;
            if (verdictsFirst) {
                for (int d = 0; d < usualDays; d++) {
                    long day = CLOCK.dayOf(TestEvents.at(d, 12, 0));
                    h.processElement(ScanInput.expectation("5", "paramedic", day, 1.0), CLOCK.endOf(day));
                }
            }
            for (int d = 1; d < usualDays; d++) {
                long day = CLOCK.dayOf(TestEvents.at(d, 12, 0));
                for (String area : ROW.keySet()) {
                    event(h, area, TestEvents.at(d, 12, 0));
                }
                for (String area : ROW.keySet()) {
                    if (!(verdictsFirst && area.equals("5"))) {
                        h.processElement(ScanInput.expectation(area, "paramedic", day, 1.0), CLOCK.endOf(day));
                    }
                }
                h.processWatermark(new Watermark(CLOCK.endOf(day)));
            }
            return h.extractOutputValues();
        }
    }

    /**
     * The inputs as the job delivers them: each day's events, then, as the watermark passes the day's end, every
     * area's expectation for it and any firing of an area's own detector; with {@code watermarkEachDay} the
     * watermark passes each day's end in turn, else once, after the last day.
     */
    private static List<Alert> run(boolean watermarkEachDay) throws Exception {
        ClusterScanDetector scan = new ClusterScanDetector(DetectionSettings.defaults(Map.of()),
                ScanSettings.defaults(ROW, NAMES), false);
        try (KeyedOneInputStreamOperatorTestHarness<Byte, ScanInput, Alert> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(scan, in -> DetectionKeys.signal(in.signal), Types.BYTE)) {
            for (int d = 0; d < DAYS; d++) {
                long day = CLOCK.dayOf(TestEvents.at(d, 12, 0));
                if (d == 0) {
                    event(h, "1", TestEvents.at(d, 9, 0));
                }
                if (d == CLUSTER_DAY) {
                    for (String area : List.of("2", "3", "4")) {
                        event(h, area, TestEvents.at(d, 8, 20));
                        event(h, area, TestEvents.at(d, 20, 40));
                    }
                }
                for (String area : ROW.keySet()) {
                    h.processElement(ScanInput.expectation(area, "paramedic", day, 0.05), CLOCK.endOf(day));
                }
                if (d == OWN_ALERT_DAY) {
                    h.processElement(ScanInput.alerted("3", "paramedic", day), CLOCK.endOf(day));
                }
                if (watermarkEachDay) {
                    h.processWatermark(new Watermark(CLOCK.endOf(day)));
                }
            }
            h.processWatermark(new Watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(DAYS - 1, 12, 0)))));
            return h.extractOutputValues();
        }
    }

    private static void event(KeyedOneInputStreamOperatorTestHarness<Byte, ScanInput, Alert> h, String area,
            long time) throws Exception {
        h.processElement(ScanInput.event(area, "paramedic", time), time);
    }

    private static List<String> describe(List<Alert> alerts) {
        List<String> out = new ArrayList<>();
        for (Alert a : alerts) {
            out.add(a.getStatus() + " " + a.getAreaId() + " " + a.getObserved() + " " + a.getOpenedAt() + " "
                    + a.getUpdatedAt());
        }
        return out;
    }
}
