package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;

class CoronerConfirmationTest {
    private static final long H = 3_600_000L;

    private static Alert closedAlert() {
        SpikeTracker s = new SpikeTracker(2);
        long t = TestEvents.at(10, 14, 0);
        s.fire("77", "paramedic", new Firing(t, "intraday_8h", 9, 1.0, 6, 7.2, t - 8 * H, t + H, "high",
                Map.of("period", "8h"), "More paramedic calls for suspected overdoses than usual in area 77."));
        s.endOfDay(TestEvents.at(11, 0, 0) - 1, true);
        s.endOfDay(TestEvents.at(12, 0, 0) - 1, false);
        return s.endOfDay(TestEvents.at(13, 0, 0) - 1, false).orElseThrow();
    }

    private static List<Alert> run(List<ConfirmationInput> in) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, ConfirmationInput, Alert> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new CoronerConfirmation(), i -> i.area, Types.STRING);
        for (ConfirmationInput i : in) {
            h.processElement(i, 0);
        }
        return h.extractOutputValues();
    }

    @Test
    void deathsReportedWeeksLaterConfirmTheClosedAlert() throws Exception {
        Alert closed = closedAlert();
        List<Alert> out = run(List.of(ConfirmationInput.alert(closed),
                ConfirmationInput.coroner("77", TestEvents.at(10, 20, 0)),
                ConfirmationInput.coroner("77", TestEvents.at(40, 20, 0))));
        assertEquals(2, out.size(), "the alert itself, then its confirmation; the later death is outside");
        assertEquals(closed, out.get(0));
        Alert confirmed = out.get(1);
        assertEquals(closed.getSpikeId(), confirmed.getSpikeId());
        assertEquals("closed", confirmed.getStatus());
        assertTrue(confirmed.getEvidence().endsWith("\"coroner_deaths\":\"fewer than 5\"}"), confirmed.getEvidence());
        assertTrue(confirmed.getExplanation().endsWith("Coroner reports received since then: fewer than 5 suspected "
                + "overdose deaths in this area around the time of the alert, which supports it."),
                confirmed.getExplanation());
    }

    @Test
    void whicheverArrivesFirstTheLatestSnapshotCarriesTheDeaths() throws Exception {
        Alert closed = closedAlert();
        ConfirmationInput death = ConfirmationInput.coroner("77", TestEvents.at(11, 3, 0));
        List<Alert> late = run(List.of(ConfirmationInput.alert(closed), death));
        List<Alert> early = run(List.of(death, ConfirmationInput.alert(closed)));
        assertEquals(late.get(late.size() - 1), early.get(early.size() - 1));
    }

    @Test
    void aSnapshotOlderThanOneAlreadySeenIsDroppedSoTheClosingStands() throws Exception {
        Alert closed = closedAlert();
        Alert earlier = Alert.newBuilder(closed).setStatus("updated").setClosedAt(null)
                .setUpdatedAt(closed.getUpdatedAt() - 2 * 24 * H).build();
        List<Alert> out = run(List.of(ConfirmationInput.alert(closed), ConfirmationInput.alert(earlier),
                ConfirmationInput.coroner("77", TestEvents.at(10, 20, 0))));
        assertEquals(2, out.size(), "the closed alert, then its confirmation; the older snapshot is not forwarded");
        assertEquals(closed, out.get(0));
        assertEquals("closed", out.get(1).getStatus());
    }
}
