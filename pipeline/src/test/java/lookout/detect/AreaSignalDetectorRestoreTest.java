package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.FileUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DetectorAlarm;

/**
 * An upgrade restores the detector's state (a checkpoint or a savepoint) into a build whose daily methods differ:
 * one added, inserted, removed, or reading a longer history; or whose intraday warning reads a longer baseline. Each
 * method keeps its own last alarm, a new one starts without one, and a longer history fills from the days (or
 * hours) the state still held.
 */
class AreaSignalDetectorRestoreTest {
    private static final long HOUR = 3_600_000L;
    /** The last day fed before the snapshot; the restored job goes on from the day after. */
    private static final int SNAPSHOT_DAY = 19;

    /** Probes alarming at 1 to 3 events: on the day after the snapshot their last alarms are 1, 2 and 3 days old. */
    private static final Probe ONE = probe("one", 1);
    private static final Probe TWO = probe("two", 2);
    private static final Probe THREE = probe("three", 3);
    /** A probe that never alarms, so that only the intraday warning opens alerts. */
    private static final Probe QUIET = new Probe("quiet", 7, Integer.MAX_VALUE);
    private static final Set<String> PARAMEDIC = Set.of("paramedic");

    /**
     * A daily method whose verdict shows what the detector gave it: it alarms on a day of at least {@code alarmAt}
     * events, and reports as its expectation the days since its last alarm (NaN when it has none) and as its upper
     * bound the days of history before the day judged.
     */
    private record Probe(String method, int historyDays, int alarmAt) implements DailyDetector {
        @Override
        public DailyVerdict evaluate(DailyHistory h) {
            int y = h.counts()[h.t()];
            double sinceAlarm = h.lastAlarm() == DailyHistory.NO_ALARM ? Double.NaN : h.t() - h.lastAlarm();
            return new DailyVerdict(y, sinceAlarm, h.t(), y >= alarmAt, Double.NaN);
        }
    }

    /** A probe reading a week of history. */
    private static Probe probe(String method, int alarmAt) {
        return new Probe(method, 7, alarmAt);
    }

    @Test
    void aMethodAddedAtTheEndStartsWithoutAnAlarmAndTheOthersKeepTheirs() throws Exception {
        OperatorSubtaskState snapshot = lastAlarmsOneToThreeDaysBeforeTheSnapshot(ONE, TWO);
        Map<String, Double> sinceAlarm = daysSinceLastAlarmTheDayAfter(snapshot, ONE, TWO, THREE);
        assertEquals(Map.of("one", 1.0, "two", 2.0), withoutNone(sinceAlarm));
        assertEquals(List.of("one", "two", "three"), List.copyOf(sinceAlarm.keySet()), "every method judged");
    }

    @Test
    void aMethodInsertedBeforeOthersLeavesEachItsOwnLastAlarm() throws Exception {
        OperatorSubtaskState snapshot = lastAlarmsOneToThreeDaysBeforeTheSnapshot(ONE, THREE);
        Map<String, Double> sinceAlarm = daysSinceLastAlarmTheDayAfter(snapshot, TWO, THREE, ONE);
        assertEquals(Map.of("one", 1.0, "three", 3.0), withoutNone(sinceAlarm));
        assertEquals(List.of("two", "three", "one"), List.copyOf(sinceAlarm.keySet()));
    }

    @Test
    void aRemovedMethodsLastAlarmIsDroppedAndTheOthersKeepTheirs() throws Exception {
        OperatorSubtaskState snapshot = lastAlarmsOneToThreeDaysBeforeTheSnapshot(ONE, TWO, THREE);
        Map<String, Double> sinceAlarm = daysSinceLastAlarmTheDayAfter(snapshot, ONE, THREE);
        assertEquals(Map.of("one", 1.0, "three", 3.0), sinceAlarm);
    }

    /**
     * The state held the eight days 12 to 19 (seven days of history and the day judged). A method reading thirty
     * days is judged once thirty known days precede the day: day 42. The days before day 12 had counts that the
     * state no longer holds, so they are unknown, not zeros.
     */
    @Test
    void aMethodReadingALongerHistoryIsJudgedOnceTheDaysKeptAndTheDaysSinceAreEnough() throws Exception {
        OperatorSubtaskState snapshot = lastAlarmsOneToThreeDaysBeforeTheSnapshot(ONE);
        Probe month = new Probe("month", 30, 1);
        var h = restored(snapshot, settings(ONE, month));
        List<DeidentifiedEvent> events = new ArrayList<>();
        for (int d = SNAPSHOT_DAY + 1; d <= 50; d++) {
            events.add(TestEvents.event("7", "paramedic", TestEvents.at(d, 20, 15)));
        }
        AreaSignalDetectorTest.streaming(h, events, 51);
        List<DetectorAlarm> rows = h.extractOutputValues().stream().filter(a -> a.getMethod().equals("month")).toList();
        assertEquals(TestEvents.DAY0.plusDays(42).toString(), rows.get(0).getDay());
        assertEquals(9, rows.size(), "days 42 to 50");
        assertEquals(List.of(30.0), rows.stream().map(DetectorAlarm::getUpperbound).distinct().toList());
    }

    /**
     * {@code area-signal-detector-unnamed-alarms-BACKEND.snapshot} are checkpoints of the heap and the RocksDB
     * backend written by the release before the last alarms were kept with their methods' names (commit 1c78ed4,
     * {@code OperatorSnapshotUtil.writeStateHandle}): area 7 fed as in
     * {@link #lastAlarmsOneToThreeDaysBeforeTheSnapshot} to probes named as that release's analyst detectors, in its
     * order, alarming at 1 to 6 events. Flink reads the state without the new fields (RocksDB rewrites it as it
     * restores), and the alarms go to those names whatever order the job now judges them in.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void stateWrittenBeforeTheNamesWereKeptGivesEachOfThatReleasesMethodsItsOwnLastAlarm(String backend)
            throws Exception {
        List<String> release = List.of("earsC_C1", "earsC_C2", "earsC_C3_alpha0.001", "excessglr_default",
                "excessglr_sensitive", "excessglr_alert");
        List<Probe> probes = new ArrayList<>(release.stream().map(m -> probe(m, 1)).toList());
        Collections.reverse(probes);
        probes.add(1, probe("new", 1));
        Map<String, Double> sinceAlarm = fromOldRelease(backend, settings(probes.toArray(Probe[]::new)),
                AreaSignalDetectorRestoreTest::daysSinceLastAlarmTheDayAfter);
        assertEquals(Map.of("earsC_C1", 1.0, "earsC_C2", 2.0, "earsC_C3_alpha0.001", 3.0, "excessglr_default", 4.0,
                "excessglr_sensitive", 5.0, "excessglr_alert", 6.0), withoutNone(sinceAlarm));
        assertEquals(List.of("excessglr_alert", "new"), List.copyOf(sinceAlarm.keySet()).subList(0, 2));
    }

    /**
     * The same checkpoints hold area 7's hours in that release's ring of four weeks (696 hours, since day 0 when
     * the city was first watched), without {@code keptSince}. Restored into a build whose intraday warning reads
     * five weeks, the ring is widened, and a spike of a call every 20 minutes from 15:00 on the day after is judged
     * on the 19 days since the city was watched: days 1 to 19, whose 21 calls were on days 14 to 19.
     */
    @ParameterizedTest
    @ValueSource(strings = {"heap", "rocksdb"})
    void hourlyStateWrittenBeforeDroppedHoursWereKeptIsWidenedForALongerIntradayBaseline(String backend)
            throws Exception {
        int day = SNAPSHOT_DAY + 1;
        List<DeidentifiedEvent> spike = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            spike.add(TestEvents.event("7", "paramedic", TestEvents.at(day, 15 + i / 3, i % 3 * 20)));
        }
        Alert opened = fromOldRelease(backend, settings(new IntradayDetector(24, 35, 1e-4), PARAMEDIC, QUIET), h -> {
            AreaSignalDetectorTest.streaming(h, spike, day);
            return AreaSignalDetectorTest.values(h.getSideOutput(AreaSignalDetector.ALERTS)).get(0);
        });
        assertEquals("intraday_24h", opened.getMethod());
        assertEquals(21 / 19.0, opened.getExpected(), 1e-12);
    }

    /**
     * Before the snapshot an intraday warning reading a week kept 192 hours of area 7's three calls a day (02:00
     * to 04:00): those from day 11 05:00 to day 19 04:00; the calls of days 0 to 11 before them were dropped.
     * Restored into one reading four weeks, with a call a day (02:00) from day 20 and a spike from 08:30 on day 30,
     * the spike is judged on the 18 days whose hours are known (days 12 to 29: 8 × 3 + 10 × 1 calls), neither on the
     * week the old ring held (an expectation of 1) nor on 28 days with the dropped ones read as zeros (34 / 28).
     */
    @Test
    void anIntradayWarningReadingALongerBaselineJudgesOnTheHoursTheStateHeldAndTheHoursSince() throws Exception {
        List<DeidentifiedEvent> before = new ArrayList<>();
        for (int d = 0; d <= SNAPSHOT_DAY; d++) {
            for (int hour = 2; hour <= 4; hour++) {
                before.add(TestEvents.event("7", "paramedic", TestEvents.at(d, hour, 0)));
            }
        }
        var h = restored(snapshotAfter(settings(new IntradayDetector(24, 7, 1e-4), PARAMEDIC, QUIET), before),
                settings(new IntradayDetector(24, 28, 1e-4), PARAMEDIC, QUIET));
        List<DeidentifiedEvent> after = new ArrayList<>();
        for (int d = SNAPSHOT_DAY + 1; d < 30; d++) {
            after.add(TestEvents.event("7", "paramedic", TestEvents.at(d, 2, 0)));
        }
        for (int i = 0; i < 10; i++) {
            after.add(TestEvents.event("7", "paramedic", TestEvents.at(30, 8 + i, 30)));
        }
        AreaSignalDetectorTest.streaming(h, after, 30);
        Alert opened = AreaSignalDetectorTest.values(h.getSideOutput(AreaSignalDetector.ALERTS)).get(0);
        assertEquals("intraday_24h", opened.getMethod());
        assertEquals(34 / 18.0, opened.getExpected(), 1e-12);
    }

    /**
     * Area 7's counts on days 14 to 19 are 6, 5, 4, 3, 2, 1 and none before, so the probe alarming at n events last
     * alarmed n days before the day after the snapshot. Returns the snapshot taken once day 19 is judged.
     */
    private static OperatorSubtaskState lastAlarmsOneToThreeDaysBeforeTheSnapshot(Probe... probes) throws Exception {
        List<DeidentifiedEvent> events = new ArrayList<>();
        for (int n = 6; n >= 1; n--) {
            for (int i = 0; i < n; i++) {
                events.add(TestEvents.event("7", "paramedic", TestEvents.at(SNAPSHOT_DAY + 1 - n, 9 + i, 0)));
            }
        }
        return snapshotAfter(settings(probes), events);
    }

    /** The snapshot of a job built with {@code s} fed {@code events}, taken once day 19 is judged. */
    private static OperatorSubtaskState snapshotAfter(DetectionSettings s, List<DeidentifiedEvent> events)
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AreaSignalDetector(s, false),
                AreaSignalDetector::key, Types.LONG, WatchingSince.BROADCAST);
        AreaSignalDetectorTest.streaming(h, events, SNAPSHOT_DAY + 1);
        return h.snapshot(1, TestEvents.at(SNAPSHOT_DAY + 1, 0, 0));
    }

    /** What a harness does once restored. */
    private interface Run<T> {
        T on(KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> h) throws Exception;
    }

    /**
     * What {@code run} gives on a harness of a job built with {@code s}, restored from the checkpoint of
     * {@code backend} that the release before the names were kept wrote.
     */
    private static <T> T fromOldRelease(String backend, DetectionSettings s, Run<T> run) throws Exception {
        OperatorSubtaskState old = OperatorSnapshotUtil.readStateHandle(Path.of(AreaSignalDetectorRestoreTest.class
                .getResource("area-signal-detector-unnamed-alarms-" + backend + ".snapshot").toURI()).toString());
        var h = harness(s);
        try {
            if (backend.equals("rocksdb")) {
                h.setStateBackend(new EmbeddedRocksDBStateBackend());
            }
            h.initializeState(old);
            h.open();
            return run.on(h);
        } finally {
            // RocksDB's database and native library are unpacked there; closing the harness leaves the directory.
            h.close();
            FileUtils.deleteDirectory(h.getEnvironment().getTaskManagerInfo().getTmpWorkingDirectory());
        }
    }

    /** Each method's days since its last alarm (null for none) on the day after the snapshot, in judging order. */
    private static Map<String, Double> daysSinceLastAlarmTheDayAfter(OperatorSubtaskState snapshot, Probe... probes)
            throws Exception {
        return daysSinceLastAlarmTheDayAfter(restored(snapshot, settings(probes)));
    }

    private static Map<String, Double> daysSinceLastAlarmTheDayAfter(
            KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> h) throws Exception {
        int day = SNAPSHOT_DAY + 1;
        AreaSignalDetectorTest.streaming(h, List.of(TestEvents.event("7", "paramedic", TestEvents.at(day, 9, 0))),
                day + 1);
        Map<String, Double> out = new LinkedHashMap<>();
        for (DetectorAlarm a : h.extractOutputValues()) {
            assertEquals(TestEvents.DAY0.plusDays(day).toString(), a.getDay());
            out.put(a.getMethod(), a.getExpected());
        }
        return out;
    }

    private static Map<String, Double> withoutNone(Map<String, Double> sinceAlarm) {
        Map<String, Double> out = new LinkedHashMap<>(sinceAlarm);
        out.values().removeIf(v -> v == null);
        return out;
    }

    /** A harness of a job built with {@code s}, restored from {@code snapshot}. */
    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> restored(
            OperatorSubtaskState snapshot, DetectionSettings s) throws Exception {
        var h = harness(s);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** A harness of a job built with {@code s}, to restore state into. */
    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> harness(
            DetectionSettings s) throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new AreaSignalDetector(s, false), List.of(WatchingSince.BROADCAST)),
                AreaSignalDetector::key, Types.LONG, 1, 1, 0);
    }

    /** The probes as the daily methods, watched since day 0, no alerts (so nothing but the probes speaks). */
    private static DetectionSettings settings(Probe... probes) {
        return settings(new IntradayDetector(24, 28, 1e-4), Set.of(), probes);
    }

    /** The probes as the daily methods and {@code intraday}, watched since day 0, alerting on {@code signals}. */
    private static DetectionSettings settings(IntradayDetector intraday, Set<String> signals, Probe... probes) {
        return new DetectionSettings(TestEvents.TORONTO, List.of(probes), probes[0].method(), intraday,
                DetectorCatalog.toxicityDefault(), SubstanceWatch.defaults(), 14, signals, Map.of(), 2, 14, HOUR,
                TestEvents.at(0, 0, 0));
    }
}
