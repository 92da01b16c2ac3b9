package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

class WatchingSinceTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = TestEvents.at(0, 6, 15);

    private static KeyedOneInputStreamOperatorTestHarness<Byte, Long, WatchedPeriod> harness(long configured)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WatchingSince(configured),
                t -> DetectionKeys.CITY, Types.BYTE);
    }

    @Test
    void thePeriodRunsFromTheEarliestEventToTheLatestAndIsSentOnlyWhenItGrows() throws Exception {
        var h = harness(DetectionSettings.UNSET);
        for (long t : new long[] {T0, T0 + DAY, T0 + 30 * DAY, T0 - 60_000, T0 + 2 * DAY}) {
            h.processElement(t, t);
        }
        assertEquals(List.of(WatchedPeriod.of(T0, T0), WatchedPeriod.of(T0, T0 + DAY), WatchedPeriod.of(T0, T0 + 30 * DAY),
                WatchedPeriod.of(T0 - 60_000, T0 + 30 * DAY)), h.extractOutputValues());
    }

    /** Deserialised as on a TaskManager, where its field starts empty: it passes on only new earliest times. */
    @Test
    void theFilterBeforeTheOneKeyPassesOnOnlyTimesEarlierOrInALaterHourThanItHasSeen() throws Exception {
        WatchingSince.EarlierThanSeen filter = InstantiationUtil.clone(new WatchingSince.EarlierThanSeen());
        List<Long> passed = new ArrayList<>();
        for (long t : new long[] {T0 + DAY, T0 + DAY + 60_000, T0 + 2 * DAY, T0, T0 + DAY, T0 - 60_000}) {
            if (filter.filter(t)) {
                passed.add(t);
            }
        }
        assertEquals(List.of(T0 + DAY, T0 + 2 * DAY, T0, T0 - 60_000), passed);
    }

    @Test
    void aConfiguredStartEarlierThanTheDataIsTheStart() throws Exception {
        var h = harness(T0 - 10 * DAY);
        h.processElement(T0, T0);
        h.processElement(T0 + DAY, T0 + DAY);
        assertEquals(List.of(WatchedPeriod.of(T0 - 10 * DAY, T0), WatchedPeriod.of(T0 - 10 * DAY, T0 + DAY)),
                h.extractOutputValues());
    }

    /** A report weeks late, a replay of old data: counted, but the start the operator gave stays. */
    @Test
    void aConfiguredStartIsNotMovedByAnEventDatedBeforeIt() throws Exception {
        var h = harness(T0);
        h.processElement(T0 + DAY, T0 + DAY);
        h.processElement(T0 - 180 * DAY, T0 + DAY);
        h.processElement(T0 + 2 * DAY, T0 + 2 * DAY);
        assertEquals(List.of(WatchedPeriod.of(T0, T0 + DAY), WatchedPeriod.of(T0, T0 + 2 * DAY)),
                h.extractOutputValues());
    }

    @Test
    void theStartSurvivesARestore() throws Exception {
        var before = harness(DetectionSettings.UNSET);
        before.processElement(T0, T0);
        OperatorSubtaskState snapshot = before.snapshot(1, T0);

        var after = new KeyedOneInputStreamOperatorTestHarness<Byte, Long, WatchedPeriod>(
                new KeyedProcessOperator<>(new WatchingSince(DetectionSettings.UNSET)), t -> DetectionKeys.CITY,
                Types.BYTE);
        after.initializeState(snapshot);
        after.open();
        after.processElement(T0 + 50 * DAY, T0 + 50 * DAY);
        after.processElement(T0 - DAY, T0 - DAY);
        assertEquals(List.of(WatchedPeriod.of(T0, T0 + 50 * DAY), WatchedPeriod.of(T0 - DAY, T0 + 50 * DAY)),
                after.extractOutputValues(), "a later event does not move the restored start; an earlier one does");
    }
}
