package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import lookout.schema.DeidentifiedEvent;

class ReportingDelayWatchTest {
    private static KeyedOneInputStreamOperatorTestHarness<Byte, DeidentifiedEvent, ReportingShares> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ReportingDelayWatch(TestEvents.TORONTO),
                e -> DetectionKeys.signal(e.getSignal()), Types.BYTE);
    }

    private static double[] expected(double... head) {
        double[] share = new double[ReportingDelays.MAX_DELAY_DAYS + 1];
        Arrays.fill(share, 1);
        System.arraycopy(head, 0, share, 0, head.length);
        return share;
    }

    /**
     * Days 0 and 1 each have two reports on the day and two two days later. As of day 3 every day old enough to
     * show a delay of 2 has half its reports at that delay: F(0) = F(1) = 0.5, F(2) = 1. As of day 2, day 1's late
     * reports are not in yet, and day 0 alone (age 2) gives the same hazard. Days 0 and 1 show nothing late yet.
     */
    @Test
    void eachDayEndSendsTheSharesAsOfThatDayFromTheReportsInByThen() throws Exception {
        var h = harness();
        for (int day = 0; day < 2; day++) {
            for (int delay : new int[] {0, 0, 2, 2}) {
                DeidentifiedEvent e = TestEvents.reported("7", "coroner", TestEvents.at(day, 12, 0), delay);
                h.processElement(e, e.getOccurredMinute());
            }
        }
        h.processWatermark(TestEvents.at(4, 0, 0) - 1);
        List<ReportingShares> out = h.extractOutputValues();
        long day0 = TestEvents.DAY0.toEpochDay();
        assertEquals(List.of(day0, day0 + 1, day0 + 2, day0 + 3), out.stream().map(s -> s.asOfDay).toList(),
                "one per day a report was made on");
        assertArrayEquals(expected(), out.get(1).share);
        assertArrayEquals(expected(0.5, 0.5), out.get(2).share);
        assertArrayEquals(expected(0.5, 0.5), out.get(3).share);
        assertEquals("coroner", out.get(3).signal);
        assertEquals(0.5, out.get(3).shareOf(day0 + 4), "a day after the as-of day counts as the as-of day");
        assertEquals(1, out.get(3).shareOf(day0 - 200));
    }

    @Test
    void daysOlderThanTheWindowAreForgotten() throws Exception {
        var h = harness();
        for (int delay : new int[] {0, 3}) {
            DeidentifiedEvent e = TestEvents.reported("7", "coroner", TestEvents.at(0, 12, 0), delay);
            h.processElement(e, e.getOccurredMinute());
        }
        int later = ReportingDelays.WINDOW_DAYS + 10;
        DeidentifiedEvent recent = TestEvents.reported("7", "coroner", TestEvents.at(later, 12, 0), 0);
        h.processElement(recent, recent.getOccurredMinute());
        h.processWatermark(TestEvents.at(later + 1, 0, 0) - 1);
        DeidentifiedEvent tooOld = TestEvents.reported("7", "coroner", TestEvents.at(0, 13, 0), later + 1);
        h.processElement(tooOld, tooOld.getOccurredMinute());
        h.processWatermark(TestEvents.at(later + 2, 0, 0) - 1);
        List<ReportingShares> out = h.extractOutputValues();
        assertArrayEquals(expected(0.5, 0.5, 0.5), out.get(1).share, "as of day 3, day 0: half in on the day");
        assertEquals(3, out.size(), "the report of day 0 made after the window had passed it is dropped");
        assertArrayEquals(expected(), out.get(2).share, "day 0 is out of the window: nothing late is left");
    }

    /**
     * Day 0 has a death reported on the day and one 150 days later; days 100 and 200 one each, reported on the day.
     * As of day 100 the late report of day 0 is not in, whether the watermark passed each day's end or jumped past
     * them all at once: delays beyond 91 days, counted in one cell as 91, must not let it in early. The report made
     * 182 days or more after its day can never count, and sends no shares of its own day either way.
     */
    @Test
    void theSharesAreTheSameHoweverFarTheWatermarkJumps() throws Exception {
        List<DeidentifiedEvent> in = List.of(
                TestEvents.reported("7", "coroner", TestEvents.at(0, 12, 0), 0),
                TestEvents.reported("7", "coroner", TestEvents.at(100, 12, 0), 0),
                TestEvents.reported("7", "coroner", TestEvents.at(0, 13, 0), 150),
                TestEvents.reported("7", "coroner", TestEvents.at(200, 12, 0), 0),
                TestEvents.reported("7", "coroner", TestEvents.at(1, 12, 0), ReportingDelays.WINDOW_DAYS + 30));
        var daily = harness();
        var jump = harness();
        int day = 0;
        for (DeidentifiedEvent e : in) {
            for (; TestEvents.at(day + 1, 0, 0) <= e.getReportedMinute(); day++) {
                daily.processWatermark(TestEvents.at(day + 1, 0, 0) - 1);
            }
            daily.processElement(e, e.getOccurredMinute());
            jump.processElement(e, e.getOccurredMinute());
        }
        daily.processWatermark(TestEvents.at(400, 0, 0) - 1);
        jump.processWatermark(TestEvents.at(400, 0, 0) - 1);
        List<ReportingShares> live = daily.extractOutputValues();
        List<ReportingShares> replayed = jump.extractOutputValues();
        long day0 = TestEvents.DAY0.toEpochDay();
        assertEquals(List.of(day0, day0 + 100, day0 + 150, day0 + 200), live.stream().map(s -> s.asOfDay).toList());
        assertEquals(live.stream().map(s -> s.asOfDay).toList(), replayed.stream().map(s -> s.asOfDay).toList());
        for (int i = 0; i < live.size(); i++) {
            assertArrayEquals(live.get(i).share, replayed.get(i).share, "as of day " + (live.get(i).asOfDay - day0));
        }
        assertArrayEquals(expected(), replayed.get(1).share, "as of day 100, day 0's late report is not in");
    }
}
