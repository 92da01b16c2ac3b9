package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import lookout.schema.Alert;
import lookout.schema.DeidentifiedEvent;

class ToxicityDetectorTest {
    private static final DetectionSettings SETTINGS = DetectionSettings.defaults(Map.of("77", Set.of("76")));

    /** A month of one paramedic call and one naloxone use a day in area 77, then a bad afternoon on day 30. */
    private static List<ToxicityInput> overdoses(int badDayExtra) {
        List<ToxicityInput> in = new ArrayList<>();
        for (int d = 0; d < 34; d++) {
            in.add(ToxicityInput.event("77", TestEvents.at(d, 9, 0), "paramedic"));
            in.add(ToxicityInput.event("77", TestEvents.at(d, 21, 0), "naloxone"));
        }
        for (int i = 0; i < badDayExtra; i++) {
            in.add(ToxicityInput.event("77", TestEvents.at(30, 13, 5 * i), i % 2 == 0 ? "paramedic" : "naloxone"));
        }
        return in;
    }

    private static List<Alert> run(List<ToxicityInput> in) throws Exception {
        return run(in, null);
    }

    /** @param watchingSince the city's start as {@link WatchingSince} would broadcast it, or null for none yet */
    private static List<Alert> run(List<ToxicityInput> in, Long watchingSince) throws Exception {
        KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h = ProcessFunctionTestHarnesses
                .forKeyedBroadcastProcessFunction(new ToxicityDetector(SETTINGS, true),
                        i -> DetectionKeys.area(i.area), Types.LONG,
                        WatchingSince.BROADCAST);
        if (watchingSince != null) {
            watchedSince(h, watchingSince);
        }
        in.sort(Comparator.comparingLong(i -> i.time));
        for (ToxicityInput i : in) {
            h.processElement(i, i.time);
        }
        h.watermark(Long.MAX_VALUE);
        assertEquals(0, h.numEventTimeTimers());
        return h.extractOutputValues();
    }

    /**
     * An area with no overdose in the four weeks since the city was first watched, then a call and a naloxone use
     * in one afternoon, with carfentanil found next door: judged against four weeks of zeros, the two overdoses are
     * above the usual (the bound is 1), and the multi-signal alert opens on the second.
     */
    @Test
    void theFirstOverdosesEverInAnAreaNextToCarfentanilOpenAToxicityAlert() throws Exception {
        List<ToxicityInput> in = new ArrayList<>(List.of(
                ToxicityInput.finding(new Finding("77", "76", TestEvents.at(29, 16, 0), "carfentanil",
                        "carfentanil", false, true, SubstanceJudge.ALWAYS)),
                ToxicityInput.event("77", TestEvents.at(30, 13, 0), "paramedic"),
                ToxicityInput.event("77", TestEvents.at(30, 13, 40), "naloxone")));
        List<Alert> alerts = run(new ArrayList<>(in), TestEvents.at(0, 6, 0));
        assertEquals("opened", alerts.get(0).getStatus());
        assertEquals(TestEvents.at(30, 13, 0), alerts.get(0).getOpenedAt());
        assertEquals(1.0, alerts.get(0).getThreshold());
        assertTrue(run(in).isEmpty(), "without knowing since when the city is watched, the area has no baseline");
    }

    @Test
    void overdosesUpWithCarfentanilFoundNextDoorOpensOneCriticalAlertThatCloses() throws Exception {
        List<ToxicityInput> in = overdoses(6);
        in.add(ToxicityInput.finding(new Finding("77", "76", TestEvents.at(29, 16, 0), "carfentanil", "carfentanil",
                false, true, SubstanceJudge.ALWAYS)));
        List<Alert> alerts = run(in);
        assertEquals("opened", alerts.get(0).getStatus());
        assertEquals("closed", alerts.get(alerts.size() - 1).getStatus());
        assertEquals(1, alerts.stream().map(Alert::getSpikeId).distinct().count());
        Alert a = alerts.get(0);
        assertEquals("multi", a.getSignal());
        assertEquals("toxicity_multisignal", a.getMethod());
        assertEquals("critical", a.getSeverity());
        assertTrue(a.getEvidence().contains("\"found_in_areas\":[\"76\"]"), a.getEvidence());
        assertTrue(a.getExplanation().contains("carfentanil"), a.getExplanation());
        assertNull(a.getClosedAt());
        assertTrue(a.getOpenedAt() >= TestEvents.at(30, 13, 0) && a.getOpenedAt() < TestEvents.at(30, 14, 0));
    }

    /**
     * In a stream the drug-checking result can arrive after the overdoses it explains (results take time, and each
     * source is read at its own pace): carfentanil found the day before the bad afternoon, arriving after every
     * overdose of the month, still opens the alert, in the hour the overdoses crossed the bound.
     */
    @Test
    void aFindingThatArrivesAfterTheOverdosesStillJudgesThem() throws Exception {
        List<ToxicityInput> in = overdoses(6);
        in.sort(Comparator.comparingLong(i -> i.time));
        in.add(ToxicityInput.finding(new Finding("77", "76", TestEvents.at(29, 16, 0), "carfentanil", "carfentanil",
                false, true, SubstanceJudge.ALWAYS)));
        KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h = ProcessFunctionTestHarnesses
                .forKeyedBroadcastProcessFunction(new ToxicityDetector(SETTINGS, true),
                        i -> DetectionKeys.area(i.area), Types.LONG,
                        WatchingSince.BROADCAST);
        for (ToxicityInput i : in) {
            h.processElement(i, i.time);
        }
        List<Alert> alerts = h.extractOutputValues();
        assertEquals("opened", alerts.get(0).getStatus());
        assertEquals(TestEvents.at(30, 13, 0), alerts.get(0).getOpenedAt());
        assertEquals("critical", alerts.get(0).getSeverity());
        assertEquals(run(overdoses(6)).size(), 0, "without the finding nothing opens");
    }

    /** Only vocabulary terms may reach an alert, even a finding held in state from before the vocabulary. */
    @Test
    void aFindingThatIsNotAVocabularyTermNeverReachesAnAlert() throws Exception {
        List<ToxicityInput> in = overdoses(6);
        in.add(ToxicityInput.finding(new Finding("77", "76", TestEvents.at(29, 16, 0),
                "nitazene zzcanarysubst john doe 555-0199", "nitazene", false, true, SubstanceJudge.ALWAYS)));
        assertTrue(run(in).isEmpty());
    }

    @Test
    void theSameAfternoonWithoutAFindingIsNotAToxicityAlert() throws Exception {
        List<ToxicityInput> in = overdoses(6);
        in.add(ToxicityInput.finding(new Finding("77", "76", TestEvents.at(29, 16, 0), "cocaine", null, false,
                false, null)));
        assertTrue(run(in).isEmpty());
    }

    @Test
    void aSubstanceIsNewOnlyAfterTheJobHasWatchedLongEnough() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Byte, DeidentifiedEvent, Finding> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new SubstanceNovelty(SubstanceWatch.defaults(), 14, Map.of(), TestEvents.TORONTO),
                        e -> DetectionKeys.CITY, Types.BYTE);
        DeidentifiedEvent first = TestEvents.event("5", "drug_checking", TestEvents.at(0, 12, 0), "fentanyl");
        DeidentifiedEvent early = TestEvents.event("5", "drug_checking", TestEvents.at(3, 12, 0), "bromazolam");
        DeidentifiedEvent late = TestEvents.event("6", "drug_checking", TestEvents.at(20, 12, 0), "fentanyl",
                "etizolam", "protonitazene");
        for (DeidentifiedEvent e : List.of(first, early, late)) {
            h.processElement(e, e.getOccurredMinute());
        }
        List<Finding> out = h.extractOutputValues();
        assertEquals(List.of("etizolam", "protonitazene"), out.stream().map(f -> f.substance).toList(),
                "bromazolam on day 3 is not 'new': the job had watched for only three days");
        assertTrue(out.get(0).novel);
        assertEquals("nitazene", out.get(1).watchEntry);
        assertTrue(out.get(1).critical);
        assertEquals("6", out.get(0).foundInArea);
    }

    /**
     * Every name outside the vocabulary is "other", so "other" on day 20 says nothing about a new substance (and
     * "unknown" is no substance at all): neither is ever reported as new, nor is a name that is not a term.
     */
    @Test
    void otherAndUnknownAreNeverNew() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Byte, DeidentifiedEvent, Finding> h = ProcessFunctionTestHarnesses
                .forKeyedProcessFunction(new SubstanceNovelty(SubstanceWatch.defaults(), 14, Map.of(), TestEvents.TORONTO),
                        e -> DetectionKeys.CITY, Types.BYTE);
        DeidentifiedEvent first = TestEvents.event("5", "drug_checking", TestEvents.at(0, 12, 0), "fentanyl");
        DeidentifiedEvent late = TestEvents.event("6", "drug_checking", TestEvents.at(20, 12, 0), "other",
                "unknown", "nitazene zzcanarysubst john doe 555-0199", "medetomidine");
        for (DeidentifiedEvent e : List.of(first, late)) {
            h.processElement(e, e.getOccurredMinute());
        }
        List<Finding> out = h.extractOutputValues();
        assertEquals(List.of("medetomidine"), out.stream().map(f -> f.substance).toList());
    }

    /**
     * A call each morning and a naloxone use each evening; carfentanil found next door on days 29 and 39 and a bad
     * afternoon the day after each. In STREAMING, day by day, the first alert closes after two quiet days and day 40
     * opens a second. After one jump of the watermark over all fifty days it must too: day 40's firings arrive
     * before the quiet days between are run, and may not keep the first alert open through them.
     */
    @Test
    void aLaterSpikeOpensItsOwnAlertWhenTheWatermarkJumpsOverTheQuietDaysBetween() throws Exception {
        List<Alert> dayByDay = streamed(true);
        assertEquals(dayByDay, streamed(false));
        assertEquals(2, dayByDay.stream().map(Alert::getSpikeId).distinct().count(), dayByDay.toString());
        assertEquals(2, dayByDay.stream().filter(a -> a.getStatus().equals("closed")).count());
    }

    /**
     * Live, the next day's firing of an open alert that arrives before the watermark passes midnight waits only for
     * that: once the day before has run, the alert is updated, a day before the firing's own day ends.
     */
    @Test
    void aFiringHeldAtMidnightReachesItsAlertOnceTheDayBeforeHasRun() throws Exception {
        DayClock clock = new DayClock(TestEvents.TORONTO);
        KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h = streaming();
        for (int d = 0; d <= 31; d++) {
            List<ToxicityInput> in = new ArrayList<>();
            in.add(ToxicityInput.event("77", TestEvents.at(d, 9, 0), "paramedic"));
            if (d == 29) {
                in.add(ToxicityInput.finding(new Finding("77", "76", TestEvents.at(d, 10, 0), "carfentanil",
                        "carfentanil", false, true, SubstanceJudge.ALWAYS)));
            }
            if (d == 30 || d == 31) {
                for (int i = 0; i < 6; i++) {
                    in.add(ToxicityInput.event("77", TestEvents.at(d, d == 30 ? 13 : 2, 5 * i),
                            i % 2 == 0 ? "paramedic" : "naloxone"));
                }
            }
            in.sort(Comparator.comparingLong(i -> i.time));
            for (ToxicityInput i : in) {
                h.processElement(i, i.time);
            }
            if (d < 30) {
                h.watermark(clock.endOf(clock.dayOf(TestEvents.at(d, 12, 0))));
            }
        }
        List<String> before = h.extractOutputValues().stream().map(Alert::getStatus).toList();
        h.watermark(clock.endOf(clock.dayOf(TestEvents.at(30, 12, 0))));
        List<Alert> after = h.extractOutputValues();
        assertEquals(List.of("opened"), before, "day 31's firing held while day 30 has not run");
        assertEquals(List.of("opened", "updated", "updated"), after.stream().map(Alert::getStatus).toList(),
                "day 31's night and morning, as soon as day 30 has run");
        assertEquals(TestEvents.at(31, 2, 0), after.get(1).getUpdatedAt());
        assertEquals(TestEvents.at(31, 9, 0), after.get(2).getUpdatedAt());
    }

    /** The inputs as the job delivers them, a day at a time; the watermark after each day or once, at the end. */
    private static List<Alert> streamed(boolean watermarkEachDay) throws Exception {
        DayClock clock = new DayClock(TestEvents.TORONTO);
        KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h = streaming();
        int days = 50;
        for (int d = 0; d < days; d++) {
            List<ToxicityInput> in = new ArrayList<>();
            in.add(ToxicityInput.event("77", TestEvents.at(d, 9, 0), "paramedic"));
            if (d == 29 || d == 39) {
                in.add(ToxicityInput.finding(new Finding("77", "76", TestEvents.at(d, 10, 0), "carfentanil",
                        "carfentanil", false, true, SubstanceJudge.ALWAYS)));
            }
            if (d == 30 || d == 40) {
                for (int i = 0; i < 6; i++) {
                    in.add(ToxicityInput.event("77", TestEvents.at(d, 13, 5 * i), i % 2 == 0 ? "paramedic"
                            : "naloxone"));
                }
            }
            in.add(ToxicityInput.event("77", TestEvents.at(d, 21, 0), "naloxone"));
            for (ToxicityInput i : in) {
                h.processElement(i, i.time);
            }
            if (watermarkEachDay) {
                h.watermark(clock.endOf(clock.dayOf(TestEvents.at(d, 12, 0))));
            }
        }
        h.watermark(clock.endOf(clock.dayOf(TestEvents.at(days - 1, 12, 0))));
        return h.extractOutputValues();
    }

    /** A STREAMING detector that has watched the city since day 0. */
    private static KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> streaming()
            throws Exception {
        KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h = ProcessFunctionTestHarnesses
                .forKeyedBroadcastProcessFunction(new ToxicityDetector(SETTINGS, false),
                        i -> DetectionKeys.area(i.area), Types.LONG, WatchingSince.BROADCAST);
        long since = TestEvents.at(0, 0, 0);
        watchedSince(h, since);
        return h;
    }

    /** Both overdose feeds watched since {@code since}, as {@link WatchingSince} broadcasts it. */
    private static void watchedSince(KeyedBroadcastOperatorTestHarness<Long, ToxicityInput, WatchedPeriod, Alert> h,
            long since) throws Exception {
        h.processBroadcastElement(WatchedPeriod.of(TestEvents.PARAMEDIC, since, since), since);
        h.processBroadcastElement(WatchedPeriod.of(TestEvents.NALOXONE, since, since), since);
    }
}
