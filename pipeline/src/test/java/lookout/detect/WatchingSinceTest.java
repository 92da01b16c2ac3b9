package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.util.Collector;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import lookout.kernel.Signal;

class WatchingSinceTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = TestEvents.at(0, 6, 15);

    private static final byte PARAMEDIC = DetectionKeys.signal(Signal.PARAMEDIC);
    private static final byte CORONER = DetectionKeys.signal(Signal.CORONER);

    private static KeyedOneInputStreamOperatorTestHarness<Byte, AreaEvent, WatchedPeriod> harness(long configured)
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new WatchingSince(configured),
                WatchingSinceTest::key, Types.BYTE);
    }

    private static Byte key(AreaEvent e) {
        return DetectionKeys.signal(e.signalValue());
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<Byte, AreaEvent, WatchedPeriod> h, Signal signal,
            long... times) throws Exception {
        for (long t : times) {
            h.processElement(new AreaEvent("A1", signal, t), t);
        }
    }

    @Test
    void thePeriodRunsFromTheEarliestEventToTheLatestAndIsSentOnlyWhenItGrows() throws Exception {
        var h = harness(DetectionSettings.UNSET);
        send(h, Signal.PARAMEDIC, T0, T0 + DAY, T0 + 30 * DAY, T0 - 60_000, T0 + 2 * DAY);
        assertEquals(List.of(WatchedPeriod.of(PARAMEDIC, T0, T0), WatchedPeriod.of(PARAMEDIC, T0, T0 + DAY),
                WatchedPeriod.of(PARAMEDIC, T0, T0 + 30 * DAY),
                WatchedPeriod.of(PARAMEDIC, T0 - 60_000, T0 + 30 * DAY)), h.extractOutputValues());
    }

    /** A streaming job's first coroner reports, dated weeks before it started, leave the paramedic calls' start. */
    @Test
    void eachSignalHasAStartOfItsOwn() throws Exception {
        var h = harness(DetectionSettings.UNSET);
        send(h, Signal.PARAMEDIC, T0);
        send(h, Signal.CORONER, T0 - 40 * DAY);
        send(h, Signal.PARAMEDIC, T0 - 60_000);
        assertEquals(List.of(WatchedPeriod.of(PARAMEDIC, T0, T0),
                WatchedPeriod.of(CORONER, T0 - 40 * DAY, T0 - 40 * DAY), WatchedPeriod.of(PARAMEDIC, T0 - 60_000, T0)),
                h.extractOutputValues());
    }

    /** Deserialised as on a TaskManager, where its field starts empty: it passes on only new earliest times. */
    @Test
    void theFilterPassesOnOnlyTimesEarlierOrInALaterHourThanItHasSeenOfTheirSignal() throws Exception {
        WatchingSince.EarlierThanSeen filter = InstantiationUtil.clone(new WatchingSince.EarlierThanSeen());
        List<AreaEvent> passed = new ArrayList<>();
        for (long t : new long[] {T0 + DAY, T0 + DAY + 60_000, T0 + 2 * DAY, T0, T0 + DAY, T0 - 60_000}) {
            for (Signal s : List.of(Signal.PARAMEDIC, Signal.NALOXONE)) {
                AreaEvent e = new AreaEvent("A1", s, s == Signal.NALOXONE ? t + DAY : t);
                if (filter.filter(e)) {
                    passed.add(e);
                }
            }
        }
        List<AreaEvent> expected = new ArrayList<>();
        for (long t : new long[] {T0 + DAY, T0 + 2 * DAY, T0, T0 - 60_000}) {
            expected.add(new AreaEvent("A1", Signal.PARAMEDIC, t));
            expected.add(new AreaEvent("A1", Signal.NALOXONE, t + DAY));
        }
        assertEquals(expected, passed, "each signal's times are judged against its own");
    }

    @Test
    void aConfiguredStartEarlierThanTheDataIsTheStart() throws Exception {
        var h = harness(T0 - 10 * DAY);
        send(h, Signal.PARAMEDIC, T0, T0 + DAY);
        assertEquals(List.of(WatchedPeriod.of(PARAMEDIC, T0 - 10 * DAY, T0), WatchedPeriod.of(PARAMEDIC, T0 - 10 * DAY,
                T0 + DAY)), h.extractOutputValues());
    }

    /** A report weeks late, a replay of old data: counted, but the start the operator gave stays. */
    @Test
    void aConfiguredStartIsNotMovedByAnEventDatedBeforeIt() throws Exception {
        var h = harness(T0);
        send(h, Signal.PARAMEDIC, T0 + DAY, T0 - 180 * DAY, T0 + 2 * DAY);
        assertEquals(List.of(WatchedPeriod.of(PARAMEDIC, T0, T0 + DAY), WatchedPeriod.of(PARAMEDIC, T0, T0 + 2 * DAY)),
                h.extractOutputValues());
    }

    /**
     * Restored from a checkpoint of a build that kept one start for the whole city under one key, 0: that key is now
     * the paramedic calls', which keep the city's start; the other signals start at their own events.
     */
    @Test
    void theCitysStartKeptByAnEarlierBuildBecomesTheParamedicCallsStart() throws Exception {
        var earlier = new KeyedOneInputStreamOperatorTestHarness<Byte, Long, Long>(
                new KeyedProcessOperator<>(new CityStartOfAnEarlierBuild()), t -> DetectionKeys.CITY, Types.BYTE);
        earlier.open();
        earlier.processElement(T0 - 30 * DAY, T0 - 30 * DAY);
        OperatorSubtaskState snapshot = earlier.snapshot(1, T0);

        var after = new KeyedOneInputStreamOperatorTestHarness<Byte, AreaEvent, WatchedPeriod>(
                new KeyedProcessOperator<>(new WatchingSince(DetectionSettings.UNSET)), WatchingSinceTest::key,
                Types.BYTE);
        after.initializeState(snapshot);
        after.open();
        send(after, Signal.PARAMEDIC, T0);
        send(after, Signal.NALOXONE, T0 + 60_000);
        assertEquals(List.of(WatchedPeriod.of(PARAMEDIC, T0 - 30 * DAY, T0),
                WatchedPeriod.of(TestEvents.NALOXONE, T0 + 60_000, T0 + 60_000)), after.extractOutputValues());
    }

    /** The keyed state as builds before the starts by signal wrote it: the city's start and latest event. */
    private static final class CityStartOfAnEarlierBuild extends KeyedProcessFunction<Byte, Long, Long> {
        @Override
        public void processElement(Long time, Context ctx, Collector<Long> out) throws Exception {
            getRuntimeContext().getState(new ValueStateDescriptor<>("since", Types.LONG)).update(time);
            getRuntimeContext().getState(new ValueStateDescriptor<>("until", Types.LONG)).update(time);
        }
    }

    @Test
    void theStartSurvivesARestore() throws Exception {
        var before = harness(DetectionSettings.UNSET);
        send(before, Signal.PARAMEDIC, T0);
        OperatorSubtaskState snapshot = before.snapshot(1, T0);

        var after = new KeyedOneInputStreamOperatorTestHarness<Byte, AreaEvent, WatchedPeriod>(
                new KeyedProcessOperator<>(new WatchingSince(DetectionSettings.UNSET)), WatchingSinceTest::key,
                Types.BYTE);
        after.initializeState(snapshot);
        after.open();
        send(after, Signal.PARAMEDIC, T0 + 50 * DAY, T0 - DAY);
        assertEquals(List.of(WatchedPeriod.of(PARAMEDIC, T0, T0 + 50 * DAY),
                WatchedPeriod.of(PARAMEDIC, T0 - DAY, T0 + 50 * DAY)),
                after.extractOutputValues(), "a later event does not move the restored start; an earlier one does");
    }
}
