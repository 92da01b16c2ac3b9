package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DetectorAlarm;

/**
 * The demo's D22 on 17 Oct 2026: one key's events reach the detector weeks out of event-time order (a key's events
 * travel through two Kafka partitions and two deduplicating subtasks, and while a job catches up on a backlog one
 * path can run weeks ahead of the other). The watermark, the minimum over the channels, stays behind the evening's
 * last call until it arrives.
 */
class AreaSignalDetectorLateEventTest {
    private static final long MINUTE = 60_000L;
    private static final int SPIKE_DAY = 43;
    private static final int LAST_DAY = 80;

    /** The job's settings: 8-hour intraday window, 56 baseline days, lateness = the spine's 5 minutes. */
    private static DetectionSettings settings() {
        return DetectionSettings.defaults(Map.of()).withLateness(5 * MINUTE);
    }

    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> harness(
            boolean batch) throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new AreaSignalDetector(settings(), batch),
                AreaSignalDetector::key, Types.LONG, WatchingSince.BROADCAST);
        long since = TestEvents.at(0, 0, 0);
        h.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, since, since), since);
        return h;
    }

    private static DeidentifiedEvent call(int day, int hour, int minute) {
        return TestEvents.event("22", "paramedic", TestEvents.at(day, hour, minute));
    }

    /** An ordinary evening call every day; on the spike day, calls at 04:20, 05:20, 06:20 and 09:20. */
    private static List<DeidentifiedEvent> events() {
        List<DeidentifiedEvent> out = new ArrayList<>();
        for (int d = 0; d <= LAST_DAY; d++) {
            out.add(call(d, 20, 15));
        }
        out.add(call(SPIKE_DAY, 4, 20));
        out.add(call(SPIKE_DAY, 5, 20));
        out.add(call(SPIKE_DAY, 6, 20));
        out.add(call(SPIKE_DAY, 9, 20));
        out.sort(Comparator.comparingLong(DeidentifiedEvent::getOccurredMinute));
        return out;
    }

    /** The spike day's 09:20 call, held back until every other event has arrived. */
    private static List<DeidentifiedEvent> arrival(List<DeidentifiedEvent> inTimeOrder) {
        long late = TestEvents.at(SPIKE_DAY, 9, 20);
        List<DeidentifiedEvent> out = new ArrayList<>();
        DeidentifiedEvent held = null;
        for (DeidentifiedEvent e : inTimeOrder) {
            if (e.getOccurredMinute() == late) {
                held = e;
            } else {
                out.add(e);
            }
        }
        out.add(held);
        return out;
    }

    /**
     * STREAMING as the job sees it. With {@code watermarkWaits}, the watermark is the minimum over the input channels
     * and stays behind the held-back call until it arrives; without, the call comes later than the watermark too (more
     * out of order than the job's bound): its day has been judged and its evening's alert closed when it arrives.
     */
    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> streaming(
            List<DeidentifiedEvent> arrival, boolean watermarkWaits) throws Exception {
        var h = harness(false);
        long lateTime = TestEvents.at(SPIKE_DAY, 9, 20);
        long wm = Long.MIN_VALUE;
        boolean lateArrived = false;
        for (DeidentifiedEvent e : arrival) {
            lateArrived |= e.getOccurredMinute() == lateTime;
            long next = e.getOccurredMinute() - 5 * MINUTE;
            if (watermarkWaits && !lateArrived) {
                next = Math.min(next, lateTime - 5 * MINUTE);
            }
            if (next > wm) {
                wm = next;
                h.watermark(wm);
            }
            h.processElement(AreaEvent.of(e), e.getOccurredMinute());
        }
        h.watermark(TestEvents.at(LAST_DAY + 5, 0, 0));
        return h;
    }

    private static KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> batch(
            List<DeidentifiedEvent> inTimeOrder) throws Exception {
        var h = harness(true);
        for (DeidentifiedEvent e : inTimeOrder) {
            h.processElement(AreaEvent.of(e), e.getOccurredMinute());
        }
        h.watermark(Long.MAX_VALUE);
        return h;
    }

    private static List<Alert> alerts(
            KeyedBroadcastOperatorTestHarness<Long, AreaEvent, WatchedPeriod, DetectorAlarm> h) {
        return AreaSignalDetectorTest.values(h.getSideOutput(AreaSignalDetector.ALERTS));
    }

    private static String describe(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getSpikeId().substring(0, 8) + " " + a.getStatus() + " opened="
                + java.time.Instant.ofEpochMilli(a.getOpenedAt()) + " updated="
                + java.time.Instant.ofEpochMilli(a.getUpdatedAt()) + " window="
                + java.time.Instant.ofEpochMilli(a.getWindowStart()) + ".."
                + java.time.Instant.ofEpochMilli(a.getWindowEnd()) + " expected=" + a.getExpected()
                + " threshold=" + a.getThreshold() + " " + a.getEvidence())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    /**
     * The key's own later events no longer judge its days in STREAMING: in the demo they had judged 843 of 3,294
     * paramedic area-days before all their events arrived (D22's 17 October with none of its 6 calls). Waiting for the
     * watermark, every verdict and alert is the one of the same events in time order.
     */
    @Test
    void eventsOfOneKeyWeeksOutOfOrderGetTheVerdictsAndAlertOfTheirTimeOrder() throws Exception {
        List<DeidentifiedEvent> events = events();
        var stream = streaming(arrival(events), true);
        var inOrder = batch(events);
        Comparator<DetectorAlarm> byDay = Comparator.comparing(DetectorAlarm::getDay)
                .thenComparing(DetectorAlarm::getMethod);
        List<DetectorAlarm> streamed = new ArrayList<>(stream.extractOutputValues());
        List<DetectorAlarm> sorted = new ArrayList<>(inOrder.extractOutputValues());
        streamed.sort(byDay);
        sorted.sort(byDay);
        // BATCH ends with its data; STREAMING goes on judging the quiet days its watermark passes.
        assertEquals(sorted, streamed.subList(0, sorted.size()));
        String spikeDate = TestEvents.DAY0.plusDays(SPIKE_DAY).toString();
        DetectorAlarm spikeDay = streamed.stream().filter(a -> a.getDay().equals(spikeDate)).findFirst().orElseThrow();
        assertEquals(5, spikeDay.getObserved(), "the evening's call and the four of the morning");
        // The same alert, step for step. Its update's score differs: that window was judged when the late call came,
        // against the baseline days the hourly ring still held by then.
        assertEquals(steps(alerts(inOrder)), steps(alerts(stream)), describe(alerts(stream)));
    }

    private static List<String> steps(List<Alert> alerts) {
        return alerts.stream().map(a -> a.getSpikeId() + " " + a.getStatus() + " " + a.getOpenedAt() + " "
                + a.getUpdatedAt() + " " + a.getClosedAt() + " " + a.getWindowStart() + ".." + a.getWindowEnd())
                .toList();
    }

    /** A call later than the watermark too still counts, but reopens nothing of its long-closed evening. */
    @Test
    void aCallLaterThanTheWatermarkOpensNoSecondAlertForItsLongClosedEvening() throws Exception {
        List<DeidentifiedEvent> events = events();
        List<Alert> stream = alerts(streaming(arrival(events), false));
        List<Alert> inOrder = alerts(batch(events));

        List<String> ids = stream.stream().map(Alert::getSpikeId).distinct().toList();
        assertEquals(1, ids.size(), "one spike, one alert:" + describe(stream));
        Alert opened = stream.get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals(TestEvents.at(SPIKE_DAY, 6, 0), opened.getOpenedAt(), "the third call crosses the bound");
        Alert closed = stream.get(stream.size() - 1);
        assertEquals("closed", closed.getStatus());
        assertEquals(TestEvents.at(SPIKE_DAY + 2, 23, 0), closed.getClosedAt(),
                "closed after the evening's two quiet days, not weeks later");
        assertEquals(List.of(opened.getSpikeId()), inOrder.stream().map(Alert::getSpikeId).distinct().toList());
    }

    private static long hourOf(String iso) {
        return HourlyCounts.hourOf(java.time.Instant.parse(iso).toEpochMilli());
    }

    /**
     * The demo's D10 (c51b9538): its paramedic calls in the hours 04-11 UTC of the 42 days before 17 Oct 2026, and
     * that morning's three. Judged in time, the window ending 11:00Z is 3 within a bound of 4. Judged again once a
     * call of 24 Nov had moved the 56-day ring on, the days before 30 Sep read as zeros yet still counted as
     * baseline days: 2 calls over "42 days", bound 2, an alert. A baseline counts only the days the ring holds.
     */
    @Test
    void aWindowJudgedAfterTheRingMovedOnCountsOnlyTheBaselineDaysTheRingStillHolds() {
        String[] calls = {"2026-09-09T06:00:00Z", "2026-09-19T05:00:00Z", "2026-09-22T09:00:00Z",
                "2026-09-24T05:00:00Z", "2026-09-24T06:00:00Z", "2026-09-26T04:00:00Z", "2026-09-27T10:00:00Z",
                "2026-09-28T09:00:00Z", "2026-10-07T10:00:00Z", "2026-10-14T10:00:00Z", "2026-10-17T08:00:00Z",
                "2026-10-17T11:00:00Z", "2026-10-17T11:00:00Z"};
        long since = hourOf("2026-09-04T05:00:00Z");
        long window = hourOf("2026-10-17T11:00:00Z");
        IntradayDetector det = DetectorCatalog.intradayDefault();
        HourlyCounts inTime = new HourlyCounts(det.capacityHours());
        HourlyCounts movedOn = new HourlyCounts(det.capacityHours());
        for (String c : calls) {
            inTime.add(hourOf(c));
            movedOn.add(hourOf(c));
        }
        movedOn.add(hourOf("2026-11-24T12:00:00Z"));
        inTime.knownSince(since);
        movedOn.knownSince(since);

        DailyVerdict then = det.evaluate(inTime, window);
        assertEquals(10.0 / 42, then.expected(), 1e-12);
        assertFalse(then.alarm());
        DailyVerdict later = DetectorCatalog.intradayDefault().evaluate(movedOn, window);
        // The ring now starts on 29 Sep: 17 whole baseline windows are left, holding the calls of 7 and 14 Oct.
        assertEquals(2.0 / 17, later.expected(), 1e-12, later.toString());
    }
}
