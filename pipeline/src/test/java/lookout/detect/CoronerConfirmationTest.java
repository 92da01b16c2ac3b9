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
    private static final DayClock CLOCK = new DayClock(TestEvents.TORONTO);

    /** An alert in area 77, opened at 14:00 on day 10 and closed at the end of day 12: its two snapshots. */
    private static List<Alert> snapshots() {
        SpikeTracker s = new SpikeTracker(2);
        long t = TestEvents.at(10, 14, 0);
        Alert opened = s.fire("77", "paramedic", new Firing(t, "intraday_8h", 9, 1.0, 6, 7.2, t - 8 * H, t + H,
                "high", Map.of("period", "8h"), "More paramedic calls for suspected overdoses than usual in area 77."))
                .orElseThrow();
        s.endOfDay(TestEvents.at(11, 0, 0) - 1, true);
        s.endOfDay(TestEvents.at(12, 0, 0) - 1, false);
        return List.of(opened, s.endOfDay(TestEvents.at(13, 0, 0) - 1, false).orElseThrow());
    }

    private static Alert closedAlert() {
        return snapshots().get(1);
    }

    /** A death in area 77 on {@code day} at {@code hour}, reported at 23:00 on {@code reportedDay}. */
    private static ConfirmationInput death(int day, int hour, int reportedDay) {
        return ConfirmationInput.coroner("77", TestEvents.at(day, hour, 0), TestEvents.at(reportedDay, 23, 0));
    }

    /** The coroner's part of an alert's explanation, empty before any death. */
    private static String coronerPart(Alert a) {
        int at = a.getExplanation().indexOf(Explanations.CORONER_DEATHS);
        return at < 0 ? "" : a.getExplanation().substring(at + Explanations.CORONER_DEATHS.length());
    }

    private static long endOf(int day) {
        return CLOCK.endOf(TestEvents.DAY0.toEpochDay() + day);
    }

    /** The day after day 0 an input becomes known: a snapshot's update, a death's report. */
    private static int knownDay(ConfirmationInput in) {
        long known = in.alert != null ? in.alert.getUpdatedAt() : in.coronerReportedTime;
        return (int) (CLOCK.dayOf(known) - TestEvents.DAY0.toEpochDay());
    }

    private static KeyedBroadcastOperatorTestHarness<Long, ConfirmationInput, ReportingShares, Alert> harness()
            throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
                new CoronerConfirmation(TestEvents.TORONTO), i -> DetectionKeys.area(i.area), Types.LONG,
                CoronerConfirmation.SHARES);
    }

    private static List<Alert> run(List<ConfirmationInput> in) throws Exception {
        return run(List.of(), in);
    }

    /** The broadcast {@code shares} first, then the inputs, then a watermark past them all. */
    private static List<Alert> run(List<ReportingShares> shares, List<ConfirmationInput> in) throws Exception {
        var h = harness();
        for (ReportingShares s : shares) {
            h.processBroadcastElement(s, 0);
        }
        for (ConfirmationInput i : in) {
            h.processElement(i, 0);
        }
        h.watermark(endOf(400));
        return h.extractOutputValues();
    }

    /** How the watermark moves over the days of a run, and when the shares of each day arrive. */
    private enum Watermarks { EACH_DAY, ONE_JUMP_SHARES_FIRST, ONE_JUMP_SHARES_LAST }

    /**
     * {@code in}, in the order given, with the coroner's shares as of each day to {@code lastDay} ({@link #rising})
     * and the watermark: past each day's end in turn, the day's shares just before it (as
     * {@link ReportingDelayWatch} sends them), or once past {@code lastDay}, the shares all before or all after the
     * inputs.
     */
    private static List<Alert> streamed(List<ConfirmationInput> in, int lastDay, Watermarks watermarks)
            throws Exception {
        var h = harness();
        if (watermarks == Watermarks.ONE_JUMP_SHARES_FIRST) {
            for (int d = 0; d <= lastDay; d++) {
                h.processBroadcastElement(rising(d), 0);
            }
        }
        int day = 0;
        for (ConfirmationInput i : in) {
            for (; watermarks == Watermarks.EACH_DAY && day < knownDay(i); day++) {
                h.processBroadcastElement(rising(day), 0);
                h.watermark(endOf(day));
            }
            h.processElement(i, 0);
        }
        for (; watermarks != Watermarks.ONE_JUMP_SHARES_FIRST && day <= lastDay; day++) {
            h.processBroadcastElement(rising(day), 0);
            if (watermarks == Watermarks.EACH_DAY) {
                h.watermark(endOf(day));
            }
        }
        h.watermark(endOf(lastDay));
        return h.extractOutputValues();
    }

    /** Shares as of {@code day} where a tenth of a day's reports is in on the day and a tenth more each day after. */
    private static ReportingShares rising(int day) {
        double[] share = new double[ReportingDelays.MAX_DELAY_DAYS + 1];
        for (int age = 0; age < share.length; age++) {
            share[age] = Math.min(1, 0.1 * (age + 1));
        }
        return ReportingShares.of("coroner", TestEvents.DAY0.toEpochDay() + day, share);
    }

    @Test
    void deathsReportedWeeksLaterConfirmTheClosedAlert() throws Exception {
        Alert closed = closedAlert();
        List<Alert> out = run(List.of(ConfirmationInput.alert(closed), death(10, 20, 30), death(40, 20, 40)));
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
        ConfirmationInput death = death(11, 3, 11);
        List<Alert> late = run(List.of(ConfirmationInput.alert(closed), death));
        List<Alert> early = run(List.of(death, ConfirmationInput.alert(closed)));
        assertEquals(late.get(late.size() - 1), early.get(early.size() - 1));
        assertTrue(late.get(late.size() - 1).getEvidence().contains("coroner_deaths"));
    }

    @Test
    void aSnapshotOlderThanOneAlreadySeenIsDroppedSoTheClosingStands() throws Exception {
        Alert closed = closedAlert();
        Alert earlier = Alert.newBuilder(closed).setStatus("updated").setClosedAt(null)
                .setUpdatedAt(closed.getUpdatedAt() - 2 * 24 * H).build();
        var h = harness();
        h.watermark(endOf(12));
        for (ConfirmationInput i : List.of(ConfirmationInput.alert(closed), ConfirmationInput.alert(earlier),
                death(10, 20, 30))) {
            h.processElement(i, 0);
        }
        h.watermark(endOf(30));
        List<Alert> out = h.extractOutputValues();
        assertEquals(2, out.size(), "the closed alert, then its confirmation; the older snapshot is not forwarded");
        assertEquals(closed, out.get(0));
        assertEquals("closed", out.get(1).getStatus());
    }

    /**
     * The alert's window, a day either side, spans the UTC days 9 to 14 after day 0 (from 06:00 on day 10 to the
     * closing at 23:00 on day 12, Toronto time). As of day 14 those days are 5 to 0 days old, with 0.6, 0.5, 0.4,
     * 0.3, 0.2 and 0.2 of their coroner reports usually in: 0.3667 on average. Four deaths reported on day 14 are
     * fewer than 5: about 4 in 10 in, 2.5 times as many to expect. Two more reported on day 15, when the latest
     * shares are still those as of day 14: 6 / 0.3667 = 16.4 expected; the 90 % interval is 6 plus the 5 % and 95 %
     * quantiles of a negative binomial of size 6.5 and probability 0.3667, 4 and 21 (scipy's nbinom.ppf). Shares as
     * of day 16, broadcast too, are not read.
     */
    @Test
    void theConfirmationSaysHowManyDeathsAreExpectedOnceAllReportsAreIn() throws Exception {
        double[] share = new double[ReportingDelays.MAX_DELAY_DAYS + 1];
        Arrays.fill(share, 1);
        System.arraycopy(new double[] {0.2, 0.2, 0.3, 0.4, 0.5, 0.6}, 0, share, 0, 6);
        long day14 = TestEvents.DAY0.toEpochDay() + 14;
        List<ReportingShares> shares = List.of(ReportingShares.of("coroner", day14 + 2, new double[] {1}),
                ReportingShares.of("coroner", day14, share));
        List<ConfirmationInput> in = new ArrayList<>(List.of(ConfirmationInput.alert(closedAlert())));
        for (int i = 0; i < 6; i++) {
            in.add(ConfirmationInput.coroner("77", TestEvents.at(10, 20, i), TestEvents.at(i < 4 ? 14 : 15, 9, 0)));
        }
        List<Alert> out = run(shares, in);
        assertEquals(3, out.size(), "the alert, then a confirmation at the end of each day deaths were reported on");
        assertTrue(out.get(1).getExplanation().endsWith("fewer than 5 suspected overdose deaths in this area around"
                + " the time of the alert, which supports it. Coroner reports come in late: usually only about 4 in"
                + " 10 are in this soon, so expect about 2.5 times as many once all reports are in."),
                out.get(1).getExplanation());
        assertEquals("More paramedic calls for suspected overdoses than usual in area 77. The alert is now closed:"
                + " there has been no further excess for 2 days. Coroner reports received"
                + " since then: 6 suspected overdose deaths in this area around the time of the alert, which supports"
                + " it. Coroner reports come in late: about 16 deaths are expected once all reports are in (likely"
                + " between 10 and 27).", out.get(2).getExplanation());
    }

    /**
     * The alert's snapshots and its deaths in the order they become known: one reported on the day it occurred,
     * one the day after, three on day 14, two on day 20 and one, outside the alert, on day 40. Each confirmation
     * quotes the shares as of the day it became known ({@link #rising}), whether the watermark passes each day's end
     * in turn or jumps past day 40 at once, with the shares of every day there before the inputs or after them. The
     * opened snapshot's days, a day either side (UTC days 9 to 11), as of day 10: 0.2, 0.1 and 0.1 in, about 1 in 10;
     * as of day 11, 0.3, 0.2 and 0.1, 2 in 10. The closing, sent on day 12, is taken as of day 11: its days, 9 to
     * 14, 0.15 in on average, 2 in 10. As of day 14, 0.35: 5 / 0.35 = 14.3 expected, 5 plus the 5 % and 95 %
     * quantiles of a negative binomial of size 5.5 and probability 0.35, 3 and 20 (scipy's nbinom.ppf). As of day 20,
     * 0.9: 7 / 0.9 = 7.8, 7 plus 0 and 3 (size 7.5).
     */
    @Test
    void eachConfirmationQuotesTheSharesOfItsOwnDayHoweverFarTheWatermarkJumps() throws Exception {
        List<Alert> snapshots = snapshots();
        List<ConfirmationInput> in = new ArrayList<>(List.of(ConfirmationInput.alert(snapshots.get(0)),
                death(10, 16, 10), death(10, 21, 11), ConfirmationInput.alert(snapshots.get(1))));
        for (int i = 0; i < 3; i++) {
            in.add(death(11, 12, 14));
        }
        for (int i = 0; i < 2; i++) {
            in.add(death(12, 12, 20));
        }
        in.add(death(40, 12, 40));
        List<Alert> dayByDay = streamed(in, 40, Watermarks.EACH_DAY);
        assertEquals(dayByDay, streamed(in, 40, Watermarks.ONE_JUMP_SHARES_FIRST));
        assertEquals(dayByDay, streamed(in, 40, Watermarks.ONE_JUMP_SHARES_LAST));
        String few = "fewer than 5 suspected overdose deaths in this area around the time of the alert, which supports"
                + " it. Coroner reports come in late: usually only about ";
        assertEquals(List.of("opened ",
                "opened " + few + "1 in 10 are in this soon, so expect about 10 times as many once all reports are in.",
                "opened " + few + "2 in 10 are in this soon, so expect about 5 times as many once all reports are in.",
                "closed " + few + "2 in 10 are in this soon, so expect about 5 times as many once all reports are in.",
                "closed 5 suspected overdose deaths in this area around the time of the alert, which supports it."
                        + " Coroner reports come in late: about 14 deaths are expected once all reports are in (likely"
                        + " between 8 and 25).",
                "closed 7 suspected overdose deaths in this area around the time of the alert, which supports it."
                        + " Coroner reports come in late: about 8 deaths are expected once all reports are in (likely"
                        + " between 7 and 10)."),
                dayByDay.stream().map(a -> a.getStatus() + " " + coronerPart(a)).toList());
    }

    /**
     * A death on day 11, reported on day 20, confirms the alert closed on day 12 although a death 189 days later has
     * come before the alert: where the watermark jumps past day 200 at once, the detectors hold the alert until the
     * jump while the deaths come straight from the source. Deaths are kept for 120 days before the day processed,
     * not before the latest that came, so the jump gives what the days in turn give.
     */
    @Test
    void anAlertThatComesAfterDeathsMonthsLaterInAJumpStillMeetsItsOwn() throws Exception {
        ConfirmationInput closed = ConfirmationInput.alert(closedAlert());
        ConfirmationInput reported = death(11, 12, 20);
        ConfirmationInput muchLater = death(200, 12, 200);
        List<Alert> dayByDay = streamed(List.of(closed, reported, muchLater), 200, Watermarks.EACH_DAY);
        assertEquals(dayByDay, streamed(List.of(reported, muchLater, closed), 200, Watermarks.ONE_JUMP_SHARES_LAST));
        assertEquals(2, dayByDay.size(), "the alert, then its confirmation; the later death is outside");
        assertTrue(dayByDay.get(1).getEvidence().endsWith("\"coroner_deaths\":\"fewer than 5\"}"),
                dayByDay.get(1).getEvidence());
    }

    /** Live, a snapshot that comes before the watermark has passed midnight waits for that only. */
    @Test
    void aSnapshotWaitsOnlyUntilTheWatermarkPassesTheEndOfTheDayBefore() throws Exception {
        var h = harness();
        h.watermark(endOf(11) - 60_000);
        h.processElement(ConfirmationInput.alert(closedAlert()), 0);
        List<Alert> before = new ArrayList<>(h.extractOutputValues());
        h.watermark(endOf(11));
        assertEquals(List.of(), before, "sent on day 12: waits for the end of day 11");
        assertEquals(List.of(closedAlert()), h.extractOutputValues());
    }
}
