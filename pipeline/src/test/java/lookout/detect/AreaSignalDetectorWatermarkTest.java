package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;
import lookout.schema.DetectorAlarm;

/**
 * The per-area detector in STREAMING gives the same alerts whether the watermark passes each day's end in turn or
 * jumps over many days at once (a backlog, a replayed history).
 */
class AreaSignalDetectorWatermarkTest {
    private static final DayClock CLOCK = new DayClock(TestEvents.TORONTO);
    private static final List<Integer> SPIKE_DAYS = List.of(43, 50);
    /** Several calls in the hour that fires, so the held firings of one hour replay as they came. */
    private static final List<int[]> SPIKE_MORNING = List.of(new int[] {4, 20}, new int[] {5, 20},
            new int[] {6, 20}, new int[] {7, 20}, new int[] {7, 25}, new int[] {7, 30}, new int[] {7, 45});

    /**
     * An evening call every day and, on days 43 and 50, a morning of calls that fires the intraday warning. Day by
     * day, the first alert closes after two quiet days and day 50 opens a second. After one jump over all the days,
     * day 50's firing, which arrives before days 44 to 49 are judged, must not keep the first alert open.
     */
    @Test
    void aLaterSpikeOpensItsOwnAlertWhenTheWatermarkJumpsOverTheQuietDaysBetween() throws Exception {
        List<Alert> dayByDay = run(true);
        assertEquals(dayByDay, run(false));
        assertEquals(2, dayByDay.stream().map(Alert::getSpikeId).distinct().count(), dayByDay.toString());
        assertEquals(2, dayByDay.stream().filter(a -> a.getStatus().equals("closed")).count());
    }

    /**
     * Live, a firing that arrives before the watermark has passed midnight waits only for that: once the day before
     * is judged the alert opens, a day before its own day's end.
     */
    @Test
    void aFiringHeldAtMidnightOpensItsAlertOnceTheDayBeforeIsJudged() throws Exception {
        var h = harness();
        int spikeDay = SPIKE_DAYS.get(0);
        for (int d = 0; d <= spikeDay; d++) {
            List<Long> times = new ArrayList<>();
            if (d == spikeDay) {
                times.addAll(SPIKE_MORNING.stream().map(at -> TestEvents.at(spikeDay, at[0], at[1])).toList());
            } else {
                times.add(TestEvents.at(d, 20, 15));
            }
            for (long t : times) {
                h.processElement(AreaEvent.of(TestEvents.event("22", "paramedic", t)), t);
            }
            if (d < spikeDay - 1) {
                h.watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(d, 12, 0))));
            }
        }
        assertEquals(List.of(), AreaSignalDetectorTest.values(h.getSideOutput(AreaSignalDetector.ALERTS)),
                "held while the day before is not judged");
        h.watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(spikeDay - 1, 12, 0))));
        List<Alert> alerts = AreaSignalDetectorTest.values(h.getSideOutput(AreaSignalDetector.ALERTS));
        assertEquals(List.of("opened", "updated"), alerts.stream().map(Alert::getStatus).toList(),
                "the morning's firings, as they came: the alert opens at 6 am and is updated at 7 am");
    }

    /**
     * An evening call on days 0 to 29, none until day 60, then one a day again. Day by day the daily chain stops
     * after 14 quiet days and the call of day 60 restarts it; after one jump, day 60's call is already there when
     * the quiet days are judged. The same days are judged either way, with the same verdicts.
     */
    @Test
    void theSameDaysAreJudgedAfterAQuietSpellHoweverFarTheWatermarkJumps() throws Exception {
        List<String> dayByDay = verdicts(true);
        assertEquals(dayByDay, verdicts(false));
        long first = CLOCK.dayOf(TestEvents.at(0, 12, 0));
        List<Long> judged = dayByDay.stream().map(v -> Long.parseLong(v.split(" ")[0])).distinct().toList();
        assertEquals(List.of(), judged.stream().filter(d -> d > first + 29 + 14 && d < first + 60).toList(),
                "no day of the quiet spell after the chain stops is judged");
        assertEquals(first + 65, judged.get(judged.size() - 1));
    }

    /** The daily verdicts (day, method, count, alarm), a watermark after each day or once after the last. */
    private static List<String> verdicts(boolean watermarkEachDay) throws Exception {
        var h = harness();
        for (int d = 0; d <= 65; d++) {
            if (d < 30 || d >= 60) {
                long t = TestEvents.at(d, 20, 15);
                h.processElement(AreaEvent.of(TestEvents.event("22", "paramedic", t)), t);
            }
            if (watermarkEachDay) {
                h.watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(d, 12, 0))));
            }
        }
        h.watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(65, 12, 0))));
        List<String> out = new ArrayList<>();
        for (DetectorAlarm a : h.extractOutputValues()) {
            out.add(LocalDate.parse(a.getDay()).toEpochDay() + " " + a.getMethod() + " " + a.getObserved() + " "
                    + a.getAlarm());
        }
        return out;
    }

    private static List<Alert> run(boolean watermarkEachDay) throws Exception {
        var h = harness();
        int days = 60;
        for (int d = 0; d < days; d++) {
            List<Long> times = new ArrayList<>();
            if (SPIKE_DAYS.contains(d)) {
                for (int[] at : SPIKE_MORNING) {
                    times.add(TestEvents.at(d, at[0], at[1]));
                }
            }
            times.add(TestEvents.at(d, 20, 15));
            for (long t : times) {
                h.processElement(AreaEvent.of(TestEvents.event("22", "paramedic", t)), t);
            }
            if (watermarkEachDay) {
                h.watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(d, 12, 0))));
            }
        }
        h.watermark(CLOCK.endOf(CLOCK.dayOf(TestEvents.at(days - 1, 12, 0))));
        return AreaSignalDetectorTest.values(h.getSideOutput(AreaSignalDetector.ALERTS));
    }

    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> harness()
            throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new AreaSignalDetector(DetectionSettings.defaults(Map.of()).withLateness(300_000L), false),
                AreaSignalDetector::key, Types.LONG, WatchingSince.BROADCAST);
        long since = TestEvents.at(0, 0, 0);
        h.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, since, since), since);
        return h;
    }
}
