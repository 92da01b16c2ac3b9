package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import lookout.kernel.Signal;
import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DetectorAlarm;

class AreaSignalDetectorTest {
    private static final long HOUR = 3_600_000L;
    private static final int DAYS = 60;
    private static final int SPIKE_DAY = 50;

    private static DetectionSettings settings() {
        return new DetectionSettings(TestEvents.TORONTO,
                List.of(new EarsC(EarsC.Variant.C1), DetectorCatalog.alertDefault()),
                DetectorCatalog.alertDefault().method(), new IntradayDetector(24, 28, 1e-4),
                DetectorCatalog.toxicityDefault(), SubstanceWatch.defaults(), 14, Set.of("paramedic", "naloxone"),
                Map.of(), 2, 3, HOUR, DetectionSettings.UNSET);
    }

    /** The detector as a STREAMING job runs it: days are judged as the watermark passes them. */
    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> harness()
            throws Exception {
        return harness(false);
    }

    static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> harness(boolean batch)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AreaSignalDetector(settings(), batch),
                AreaSignalDetector::key, Types.LONG, WatchingSince.BROADCAST);
    }

    /** A harness whose state is restored from a snapshot, as after a restart from a checkpoint. */
    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> restored(
            OperatorSubtaskState snapshot) throws Exception {
        var h = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new AreaSignalDetector(settings(), false), List.of(WatchingSince.BROADCAST)), AreaSignalDetector::key,
                Types.LONG, 1, 1, 0);
        h.initializeState(snapshot);
        h.open();
        return h;
    }

    /** The paramedic calls watched since {@code since}, as {@link WatchingSince} broadcasts it. */
    private static void watchedSince(KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> h,
            long since) throws Exception {
        h.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, since, since), since);
    }

    /** Five calls one evening in area 9, where nothing had ever happened: 19:10, 19:40, 20:20, 21:00, 21:30. */
    private static List<DeidentifiedEvent> firstEventsEver(int day) {
        int[][] times = {{19, 10}, {19, 40}, {20, 20}, {21, 0}, {21, 30}};
        List<DeidentifiedEvent> out = new ArrayList<>();
        for (int[] t : times) {
            out.add(TestEvents.event("9", "paramedic", TestEvents.at(day, t[0], t[1])));
        }
        return out;
    }

    @Test
    void theFirstEventsEverInAnAreaAreJudgedAgainstTheWeeksSinceTheCityWasFirstWatched() throws Exception {
        var h = harness();
        watchedSince(h, TestEvents.at(0, 6, 15));
        streaming(h, firstEventsEver(SPIKE_DAY), SPIKE_DAY + 5);

        List<Alert> alerts = values(h.getSideOutput(AreaSignalDetector.ALERTS));
        Alert opened = alerts.get(0);
        assertEquals("opened", opened.getStatus());
        // Fifty days of zeros put the 24-hour bound at 2: the third call, at 20:20, crosses it.
        assertEquals("intraday_24h", opened.getMethod());
        assertEquals(TestEvents.at(SPIKE_DAY, 20, 0), opened.getOpenedAt());
        assertEquals(2.0, opened.getThreshold());
        String spikeDate = TestEvents.DAY0.plusDays(SPIKE_DAY).toString();
        assertEquals(List.of(spikeDate), h.extractOutputValues().stream()
                .filter(a -> a.getAlarm() && a.getMethod().equals("excessglr_default")).map(DetectorAlarm::getDay)
                .toList(), "the daily verdict of that evening alarms too");
    }

    /**
     * Three calls in area 9 after fifty days of zeros, 19:10, 19:40 and 21:30, where the 24-hour bound is 2. Kafka
     * delivers one key's events in no fixed order (the producers' partitions interleave as the consumer fetches
     * them): when the 21:30 call comes first, the two earlier ones complete the window ending at 21:00 after it.
     */
    @Test
    void aSpikeOpensTheSameAlertWhateverOrderItsEventsArriveIn() throws Exception {
        long watched = TestEvents.at(0, 6, 15);
        DeidentifiedEvent first = TestEvents.event("9", "paramedic", TestEvents.at(SPIKE_DAY, 19, 10));
        DeidentifiedEvent second = TestEvents.event("9", "paramedic", TestEvents.at(SPIKE_DAY, 19, 40));
        DeidentifiedEvent third = TestEvents.event("9", "paramedic", TestEvents.at(SPIKE_DAY, 21, 30));
        List<List<Alert>> outcomes = new ArrayList<>();
        for (List<DeidentifiedEvent> arrival : List.of(List.of(first, second, third), List.of(third, first, second),
                List.of(first, third, second))) {
            var h = harness();
            h.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, watched, watched), watched);
            streaming(h, arrival, SPIKE_DAY);
            outcomes.add(values(h.getSideOutput(AreaSignalDetector.ALERTS)));
        }
        Alert opened = outcomes.get(0).get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals(TestEvents.at(SPIKE_DAY, 21, 0), opened.getOpenedAt());
        assertEquals("intraday_24h", opened.getMethod());
        assertEquals(2.0, opened.getThreshold());
        assertEquals(List.of(opened), outcomes.get(1), "the 21:30 call first");
        assertEquals(List.of(opened), outcomes.get(2), "the 21:30 call between the other two");
    }

    /** One call, the first ever in area 9, fifty days after the city's start: news, but not an alert. */
    @Test
    void aSingleFirstEventAfterWeeksOfZerosIsNotAnAlert() throws Exception {
        var h = harness();
        watchedSince(h, TestEvents.at(0, 6, 15));
        streaming(h, firstEventsEver(SPIKE_DAY).subList(0, 1), SPIKE_DAY + 5);
        assertEquals(List.of(), values(h.getSideOutput(AreaSignalDetector.ALERTS)));
        assertEquals(List.of(), h.extractOutputValues().stream()
                .filter(a -> a.getAlarm() && a.getMethod().equals("excessglr_default")).toList(),
                "the daily GLR expects at least half an event over the weeks it fits");
    }

    /**
     * A streaming job started on day 40 reads, among its first reports, a coroner's report of a death on day 0. Area
     * 9's usual two calls a day from day 40 on are judged against the paramedic calls' own start, not against forty
     * days of zeros that the coroner's start would have given them (which alert, as the second run shows).
     */
    @Test
    void aCoronerReportDatedWeeksBeforeTheStartLeavesTheParamedicCallsStartAlone() throws Exception {
        long jobStart = TestEvents.at(40, 6, 0);
        long death = TestEvents.at(0, 3, 0);
        List<DeidentifiedEvent> usual = new ArrayList<>();
        for (int d = 40; d < DAYS; d++) {
            usual.add(TestEvents.event("9", "paramedic", TestEvents.at(d, 6, 15)));
            usual.add(TestEvents.event("9", "paramedic", TestEvents.at(d, 13, 15)));
        }
        var h = harness();
        h.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, jobStart, jobStart), jobStart);
        h.processBroadcastElement(WatchedPeriod.of(DetectionKeys.signal(Signal.CORONER), death, death), jobStart);
        streaming(h, usual, DAYS);
        assertEquals(List.of(), values(h.getSideOutput(AreaSignalDetector.ALERTS)));

        var fromDayZero = harness();
        fromDayZero.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, death, jobStart), jobStart);
        streaming(fromDayZero, usual, DAYS);
        assertEquals(TestEvents.at(40, 23, 0),
                values(fromDayZero.getSideOutput(AreaSignalDetector.ALERTS)).get(0).getOpenedAt(),
                "forty days of zeros before the usual calls make them a spike");
    }

    @Test
    void withoutKnowingSinceWhenTheCityIsWatchedTheFirstEventsEverRaiseNothing() throws Exception {
        var h = harness();
        streaming(h, firstEventsEver(SPIKE_DAY), SPIKE_DAY + 5);
        assertEquals(List.of(), values(h.getSideOutput(AreaSignalDetector.ALERTS)));
    }

    @Test
    void sinceWhenTheCityIsWatchedSurvivesARestore() throws Exception {
        var before = harness();
        watchedSince(before, TestEvents.at(0, 6, 15));
        streaming(before, TestEvents.quietAreaWithSpike("1", "paramedic", 20, -1, 0), 20);
        OperatorSubtaskState snapshot = before.snapshot(1, TestEvents.at(20, 0, 0));

        var after = restored(snapshot);
        streaming(after, firstEventsEver(SPIKE_DAY), SPIKE_DAY + 5);
        List<Alert> alerts = values(after.getSideOutput(AreaSignalDetector.ALERTS));
        assertEquals("opened", alerts.get(0).getStatus());
        assertEquals(TestEvents.at(SPIKE_DAY, 20, 0), alerts.get(0).getOpenedAt());
    }

    /** The same before any broadcast has arrived: a subtask's own earliest event starts only its signal. */
    @Test
    void aCoronerReportSeenBeforeAnyBroadcastLeavesTheParamedicCallsStartAlone() throws Exception {
        List<DeidentifiedEvent> events = new ArrayList<>();
        events.add(TestEvents.event("9", "coroner", TestEvents.at(0, 3, 0)));
        for (int d = 40; d < DAYS; d++) {
            events.add(TestEvents.event("9", "paramedic", TestEvents.at(d, 6, 15)));
            events.add(TestEvents.event("9", "paramedic", TestEvents.at(d, 13, 15)));
        }
        var h = harness();
        streaming(h, events, DAYS);
        assertEquals(List.of(), values(h.getSideOutput(AreaSignalDetector.ALERTS)));
    }

    /** Restored from a checkpoint of a build that kept one start for the whole city: it starts every signal. */
    @Test
    void theCitysStartKeptByAnEarlierBuildStillStartsEverySignal() throws Exception {
        var earlier = new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new CityStartOfAnEarlierBuild(), List.of(WatchingSince.BROADCAST)), AreaSignalDetector::key,
                Types.LONG, 1, 1, 0);
        earlier.open();
        long since = TestEvents.at(0, 6, 15);
        earlier.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, since, since), since);

        var after = restored(earlier.snapshot(1, since));
        streaming(after, firstEventsEver(SPIKE_DAY), SPIKE_DAY + 5);
        assertEquals(TestEvents.at(SPIKE_DAY, 20, 0),
                values(after.getSideOutput(AreaSignalDetector.ALERTS)).get(0).getOpenedAt());
    }

    /** The broadcast state as builds before the starts by signal wrote it: the city's start under "city". */
    private static final class CityStartOfAnEarlierBuild
            extends KeyedBroadcastProcessFunction<Long, AreaEvent, WatchedPeriod, DetectorAlarm> {
        @Override
        public void processBroadcastElement(WatchedPeriod period, Context ctx, Collector<DetectorAlarm> out)
                throws Exception {
            ctx.getBroadcastState(WatchingSince.BROADCAST).put("city", period.since);
        }

        @Override
        public void processElement(AreaEvent e, ReadOnlyContext ctx, Collector<DetectorAlarm> out) {}
    }

    @Test
    void aConfiguredStartCountsWithoutAnyBroadcast() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AreaSignalDetector(
                settings().withWatchingSince(TestEvents.at(0, 0, 0)), false), AreaSignalDetector::key, Types.LONG,
                WatchingSince.BROADCAST);
        streaming(h, firstEventsEver(SPIKE_DAY), SPIKE_DAY + 5);
        assertEquals(TestEvents.at(SPIKE_DAY, 20, 0),
                values(h.getSideOutput(AreaSignalDetector.ALERTS)).get(0).getOpenedAt());
    }

    /**
     * A report dated half a year before the configured start (a replay of old data, a report weeks late) moved the
     * start back for every area its subtask judged: area 1's usual days, judged against months of zeros, opened
     * alerts of their own.
     */
    @Test
    void anEventDatedBeforeTheConfiguredStartDoesNotMoveItForOtherAreas() throws Exception {
        List<DeidentifiedEvent> usual = TestEvents.quietAreaWithSpike("1", "paramedic", 60, -1, 0);
        List<DeidentifiedEvent> withOld = new ArrayList<>(usual);
        withOld.add(0, TestEvents.event("9", "paramedic", TestEvents.at(-180, 12, 0)));
        assertEquals(alertsOfArea1UnderAConfiguredStart(usual), alertsOfArea1UnderAConfiguredStart(withOld));
    }

    private static List<Alert> alertsOfArea1UnderAConfiguredStart(List<DeidentifiedEvent> events) throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AreaSignalDetector(
                settings().withWatchingSince(TestEvents.at(0, 0, 0)), false), AreaSignalDetector::key, Types.LONG,
                WatchingSince.BROADCAST);
        streaming(h, events, 65);
        return values(h.getSideOutput(AreaSignalDetector.ALERTS)).stream()
                .filter(a -> a.getAreaId().equals("1")).toList();
    }

    @Test
    void aSpikeOpensOneAlertOnTheCrossingEventUpdatesItAtDayEndAndClosesAfterTwoQuietDays() throws Exception {
        var h = harness();
        List<DeidentifiedEvent> events = TestEvents.quietAreaWithSpike("77", "paramedic", DAYS, SPIKE_DAY, 8);
        streaming(h, events, DAYS + 10);

        List<Alert> alerts = values(h.getSideOutput(AreaSignalDetector.ALERTS));
        assertEquals(List.of("opened", "updated", "updated", "closed"), alerts.stream().map(Alert::getStatus).toList());
        Alert opened = alerts.get(0);
        assertEquals("intraday_24h", opened.getMethod());
        assertTrue(alerts.stream().allMatch(a -> a.getSpikeId().equals(opened.getSpikeId())));
        // The spike's 8 events come hourly from 08:30; the intraday bound (7 where 1 is usual) is crossed by the
        // eighth, at 15:30, and the alert opens then, hours before the day ends.
        assertEquals(TestEvents.at(SPIKE_DAY, 15, 0), opened.getOpenedAt());
        assertEquals(7.0, opened.getThreshold());
        assertEquals(8, opened.getObserved());
        Alert dayVerdict = alerts.get(1);
        assertEquals(TestEvents.at(SPIKE_DAY, 23, 0), dayVerdict.getUpdatedAt(), "the day's verdict, at 23:00");
        // Exact text, keys in a fixed order: two backfills of the same input must write identical evidence.
        assertEquals("{\"method\":\"intraday_24h\",\"firings\":1,\"period\":\"24h\",\"expected\":1.04}",
                opened.getEvidence());
        assertEquals("{\"method\":\"excessglr_default\",\"firings\":2,\"period\":\"day\",\"day\":\"2026-02-24\","
                + "\"expected\":1.01}", dayVerdict.getEvidence());
        Alert nextMorning = alerts.get(2);
        assertEquals(TestEvents.at(SPIKE_DAY + 1, 6, 0), nextMorning.getUpdatedAt(),
                "the next morning's usual event still finds the trailing 24 hours high");
        Alert closed = alerts.get(3);
        assertEquals(TestEvents.at(SPIKE_DAY + 3, 23, 0), closed.getClosedAt(),
                "closed at the end of the second whole day without a firing");
        assertNull(opened.getClosedAt());
        assertTrue(opened.getExplanation().startsWith(
                "More paramedic calls for suspected overdoses than usual in area 77:"), opened.getExplanation());

        List<DetectorAlarm> alarms = h.extractOutputValues();
        Map<String, List<String>> alarmDays = alarms.stream().filter(DetectorAlarm::getAlarm).collect(
                Collectors.groupingBy(DetectorAlarm::getMethod, Collectors.mapping(DetectorAlarm::getDay,
                        Collectors.toList())));
        String spikeDate = TestEvents.DAY0.plusDays(SPIKE_DAY).toString();
        assertEquals(List.of(spikeDate), alarmDays.get("excessglr_default"));
        assertTrue(alarmDays.get("earsC_C1").contains(spikeDate));
        // The first event is on day 1. C1 speaks once a day from day 8 (a week of history) to day 59, the last
        // event's day, then on the three zero days that stop the chain; the GLR starts on day 36 (a week's guard
        // plus four weeks of baseline).
        assertEquals(52 + 3, alarms.stream().filter(a -> a.getMethod().equals("earsC_C1")).count());
        assertEquals(24 + 3, alarms.stream().filter(a -> a.getMethod().equals("excessglr_default")).count());
        assertEquals(0, h.numEventTimeTimers(), "three zero days after the last event stop the daily timer chain");
    }

    @Test
    void batchOrderGivesTheSameAlarmsAndAlertsAsStreaming() throws Exception {
        List<DeidentifiedEvent> events = TestEvents.quietAreaWithSpike("77", "paramedic", DAYS, SPIKE_DAY, 8);
        var stream = harness();
        streaming(stream, events, DAYS + 10);
        var batch = harness(true);
        for (DeidentifiedEvent e : events) {
            batch.processElement(AreaEvent.of(e), e.getOccurredMinute());
        }
        batch.watermark(Long.MAX_VALUE);

        assertEquals(stream.extractOutputValues(), batch.extractOutputValues());
        assertEquals(values(stream.getSideOutput(AreaSignalDetector.ALERTS)),
                values(batch.getSideOutput(AreaSignalDetector.ALERTS)));
        assertEquals(0, batch.numEventTimeTimers(), "the BATCH job ends: the chain stops after the quiet days");
    }

    @Test
    void stateDoesNotGrowWithTheNumberOfEvents() throws Exception {
        var few = harness();
        var many = harness();
        for (int d = 0; d < 40; d++) {
            for (int i = 0; i < 2; i++) {
                DeidentifiedEvent e = TestEvents.event("5", "naloxone", TestEvents.at(d, 10, i));
                few.processElement(AreaEvent.of(e), e.getOccurredMinute());
            }
            for (int i = 0; i < 200; i++) {
                DeidentifiedEvent e = TestEvents.event("5", "naloxone", TestEvents.at(d, 10, i % 60));
                many.processElement(AreaEvent.of(e), e.getOccurredMinute());
            }
        }
        few.watermark(TestEvents.at(45, 0, 0));
        many.watermark(TestEvents.at(45, 0, 0));
        assertEquals(keyedStateEntries(few), keyedStateEntries(many));
    }

    @Test
    void coronerCountsAreJudgedButNeverOpenAlerts() throws Exception {
        var h = harness();
        streaming(h, TestEvents.quietAreaWithSpike("9", "coroner", DAYS, SPIKE_DAY, 8), DAYS + 10);
        assertTrue(h.getSideOutput(AreaSignalDetector.ALERTS) == null
                || h.getSideOutput(AreaSignalDetector.ALERTS).isEmpty());
        assertTrue(h.extractOutputValues().stream().anyMatch(a -> a.getAlarm() && a.getSignal().equals("coroner")));
    }

    private static int keyedStateEntries(KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod,
            DetectorAlarm> h) {
        return ((HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend()).numKeyValueStateEntries();
    }

    /**
     * Feeds events with a watermark one hour (the lateness allowance) behind each, as the city's other events would
     * have moved it on by the time this one comes, then lets time run on.
     */
    static void streaming(KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> h,
            List<DeidentifiedEvent> events, int untilDay) throws Exception {
        long wm = Long.MIN_VALUE;
        for (DeidentifiedEvent e : events) {
            long next = e.getOccurredMinute() - HOUR;
            if (next > wm) {
                wm = next;
                h.watermark(wm);
            }
            h.processElement(AreaEvent.of(e), e.getOccurredMinute());
        }
        for (int d = 0; d <= untilDay; d++) {
            long t = TestEvents.at(d, 0, 0);
            if (t > wm) {
                wm = t;
                h.watermark(wm);
            }
        }
    }

    static <T> List<T> values(java.util.Queue<StreamRecord<T>> records) {
        List<T> out = new ArrayList<>();
        if (records != null) {
            records.forEach(r -> out.add(r.getValue()));
        }
        return out;
    }
}
