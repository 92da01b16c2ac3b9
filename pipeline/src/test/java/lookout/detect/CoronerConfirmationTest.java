package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
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
        return run(List.of(), in);
    }

    /** The broadcast {@code shares} first, in order, then the inputs. */
    private static List<Alert> run(List<ReportingShares> shares, List<ConfirmationInput> in) throws Exception {
        KeyedBroadcastOperatorTestHarness<Long, ConfirmationInput, ReportingShares, Alert> h =
                ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new CoronerConfirmation(),
                        i -> DetectionKeys.area(i.area), Types.LONG, CoronerConfirmation.DELAYS);
        for (ReportingShares s : shares) {
            h.processBroadcastElement(s, 0);
        }
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

    /**
     * The alert's window, a day either side, spans the UTC days 9 to 14 after day 0 (from 06:00 on day 10 to the
     * closing at 23:00 on day 12, Toronto time). As of day 14 those days are 5 to 0 days old, with 0.6, 0.5, 0.4,
     * 0.3, 0.2 and 0.2 of their coroner reports usually in: 0.3667 on average. 6 deaths so far: 6 / 0.3667 = 16.4
     * expected; the 90 % interval is 6 plus the 5 % and 95 % quantiles of a negative binomial of size 6.5 and
     * probability 0.3667, 4 and 21 (scipy's nbinom.ppf).
     */
    @Test
    void theConfirmationSaysHowManyDeathsAreExpectedOnceAllReportsAreIn() throws Exception {
        double[] share = new double[ReportingDelays.MAX_DELAY_DAYS + 1];
        Arrays.fill(share, 1);
        System.arraycopy(new double[] {0.2, 0.2, 0.3, 0.4, 0.5, 0.6}, 0, share, 0, 6);
        long day14 = TestEvents.DAY0.toEpochDay() + 14;
        List<ReportingShares> shares = List.of(ReportingShares.of("coroner", day14, share),
                ReportingShares.of("coroner", day14 - 1, new double[] {1}));
        List<ConfirmationInput> in = new ArrayList<>(List.of(ConfirmationInput.alert(closedAlert())));
        for (int i = 0; i < 6; i++) {
            in.add(ConfirmationInput.coroner("77", TestEvents.at(10, 20, i)));
        }
        List<Alert> out = run(shares, in);
        assertEquals(7, out.size(), "the alert, then a confirmation on each death");
        assertEquals("More paramedic calls for suspected overdoses than usual in area 77. The alert is now closed:"
                + " there has been no further excess for 2 days. Coroner reports received"
                + " since then: 6 suspected overdose deaths in this area around the time of the alert, which supports"
                + " it. Coroner reports come in late: about 16 deaths are expected once all reports are in (likely"
                + " between 10 and 27).", out.get(6).getExplanation(),
                "the older shares broadcast last are ignored");
        assertTrue(out.get(4).getExplanation().endsWith("fewer than 5 suspected overdose deaths in this area around"
                + " the time of the alert, which supports it. Coroner reports come in late: usually only about 4 in"
                + " 10 are in this soon, so expect about 2.5 times as many once all reports are in."),
                out.get(4).getExplanation());
    }
}
