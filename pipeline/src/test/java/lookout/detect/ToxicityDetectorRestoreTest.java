package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

/**
 * An upgrade restores the toxicity detector's state (a checkpoint or a savepoint) into a build whose rule reads a
 * longer baseline: its rings of hours are widened, and the hours they no longer held stay unknown.
 */
class ToxicityDetectorRestoreTest {
    private static final String AREA = "77";

    /**
     * Before the snapshot a rule reading a week kept 192 hours of area 77's three overdoses a day (02:00 to 04:00):
     * those from day 11 05:00 to day 19 04:00; the overdoses of days 0 to 11 before them were dropped. Restored into
     * a rule reading four weeks, with a call a day (02:00) from day 20, carfentanil found next door on day 29 and
     * overdoses every hour from 08:30 on day 30, the combined count is judged on the 18 days whose hours are known
     * (days 12 to 29: 8 × 3 + 10 × 1), neither on the week the old ring held (an expectation of 1) nor on 28 days
     * with the dropped ones read as zeros (34 / 28).
     */
    @Test
    void aRuleReadingALongerBaselineJudgesOnTheHoursTheStateHeldAndTheHoursSince() throws Exception {
        List<ToxicityInput> before = new ArrayList<>();
        for (int d = 0; d <= 19; d++) {
            before.add(ToxicityInput.event(AREA, TestEvents.at(d, 2, 0), "paramedic"));
            before.add(ToxicityInput.event(AREA, TestEvents.at(d, 3, 0), "naloxone"));
            before.add(ToxicityInput.event(AREA, TestEvents.at(d, 4, 0), "paramedic"));
        }
        List<ToxicityInput> after = new ArrayList<>();
        for (int d = 20; d < 30; d++) {
            after.add(ToxicityInput.event(AREA, TestEvents.at(d, 2, 0), "paramedic"));
        }
        after.add(ToxicityInput.finding(new Finding(AREA, "76", TestEvents.at(29, 16, 0), "carfentanil",
                "carfentanil", false, true, SubstanceJudge.ALWAYS)));
        for (int i = 0; i < 10; i++) {
            after.add(ToxicityInput.event(AREA, TestEvents.at(30, 8 + i, 30), i % 2 == 0 ? "paramedic" : "naloxone"));
        }
        var h = harness(new ToxicityRule(24, 28, 0.01, 7));
        h.initializeState(snapshotAfter(new ToxicityRule(24, 7, 0.01, 7), before));
        h.open();
        feed(h, after);
        Alert opened = h.extractOutputValues().get(0);
        assertEquals("opened", opened.getStatus());
        assertEquals("toxicity_multisignal", opened.getMethod());
        assertEquals(34 / 18.0, opened.getExpected(), 1e-12);
    }

    /** The snapshot of a job whose rule is {@code rule}, fed {@code in}. */
    private static OperatorSubtaskState snapshotAfter(ToxicityRule rule, List<ToxicityInput> in) throws Exception {
        var h = harness(rule);
        h.open();
        feed(h, in);
        return h.snapshot(1, in.get(in.size() - 1).time);
    }

    private static void feed(KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h,
            List<ToxicityInput> in) throws Exception {
        for (ToxicityInput i : in) {
            h.processElement(i, i.time);
        }
    }

    /** A STREAMING harness of a job whose rule is {@code rule}, watching the city since day 0, to restore into. */
    private static KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> harness(
            ToxicityRule rule) throws Exception {
        DetectionSettings d = DetectionSettings.defaults(Map.of(AREA, Set.of("76")));
        DetectionSettings s = new DetectionSettings(TestEvents.TORONTO, d.analystDetectors(), d.alertMethod(),
                d.intraday(), rule, d.watch(), d.noveltyDays(), d.alertSignals(), d.neighbours(), d.quietDaysToClose(),
                d.stopAfterQuietDays(), d.latenessMillis(), TestEvents.at(0, 0, 0));
        return new KeyedBroadcastOperatorTestHarness<>(new CoBroadcastWithKeyedOperator<>(
                new ToxicityDetector(s, false), List.of(WatchingSince.BROADCAST)),
                i -> DetectionKeys.area(i.area), Types.LONG, 1, 1, 0);
    }
}
