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
}
