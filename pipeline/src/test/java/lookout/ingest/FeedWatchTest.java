package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.ZoneOffset;
import java.util.List;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import lookout.schema.FeedHealth;
import lookout.schema.FeedObservation;

/** The operator's timers and state, in processing time driven by the harness. */
class FeedWatchTest {
    private static final long SECOND = 1_000;
    /** Silent after 1.5 usual gaps; floor 1 s; 3 gaps of history; a 60 s window, bad above half dead letters of 4. */
    private static final FeedSettings SETTINGS = new FeedSettings(ZoneOffset.UTC, 1.5, SECOND, 3, 60 * SECOND, 0.5, 4);

    private static KeyedOneInputStreamOperatorTestHarness<String, FeedObservation, FeedHealth> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new FeedWatch(SETTINGS)),
                FeedObservation::getSource, Types.STRING);
        h.open();
        return h;
    }

    private static void accepted(KeyedOneInputStreamOperatorTestHarness<String, FeedObservation, FeedHealth> h,
            String source, long at, long delayMillis) throws Exception {
        h.setProcessingTime(at);
        h.processElement(new StreamRecord<>(new FeedObservation(source, true, delayMillis, at - 30 * SECOND)));
    }

    private static List<FeedHealth> drain(KeyedOneInputStreamOperatorTestHarness<String, FeedObservation, FeedHealth> h) {
        List<FeedHealth> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void aSourceQuietForOneAndAHalfUsualGapsIsSilentUntilItsNextRecord() throws Exception {
        var h = harness();
        // Paramedic every 10 s from t = 100 s: three gaps make its history.
        for (long t = 100; t <= 130; t += 10) {
            accepted(h, "paramedic", t * SECOND, 120 * SECOND);
        }
        h.setProcessingTime(144 * SECOND);
        assertEquals(List.of(), drain(h), "14 s after the last record: below 1.5 gaps of 10 s");
        h.setProcessingTime(145 * SECOND);
        List<FeedHealth> opened = drain(h);
        assertEquals(1, opened.size(), "15 s after the last record the timer finds it silent");
        FeedHealth silent = opened.get(0);
        assertEquals("paramedic-silent-130000", silent.getEpisodeId());
        assertEquals("silent", silent.getStatus());
        assertEquals(130 * SECOND, silent.getSince());
        assertNull(silent.getUntil());
        assertEquals(145 * SECOND, silent.getUpdatedAt());
        assertEquals(15.0, silent.getSecondsSinceLastRecord());
        assertEquals(10.0, silent.getUsualGapSeconds());
        assertEquals(0.0, silent.getDeadLetterShare());
        assertEquals(120.0, silent.getReportDelaySeconds(), "two minutes from occurred to reported");

        h.setProcessingTime(400 * SECOND);
        assertEquals(List.of(), drain(h), "one message per episode, however long it lasts");

        accepted(h, "paramedic", 401 * SECOND, 60 * SECOND);
        List<FeedHealth> ended = drain(h);
        assertEquals(1, ended.size());
        assertEquals("paramedic-silent-130000", ended.get(0).getEpisodeId(), "the all-clear names the same episode");
        assertEquals(401 * SECOND, ended.get(0).getUntil());
        assertEquals(60.0, ended.get(0).getReportDelaySeconds(), "the window holds only the new record now");

        // The 271 s outage is not learned: the usual gap stays 10 s, so 15 s of quiet make a new episode.
        h.setProcessingTime(416 * SECOND);
        assertEquals(List.of("paramedic-silent-401000 10.0"),
                drain(h).stream().map(f -> f.getEpisodeId() + " " + f.getUsualGapSeconds()).toList());
        h.close();
    }

    @Test
    void withoutHistoryNoSourceIsCalledSilentAndEachSourceHasItsOwnTimer() throws Exception {
        var h = harness();
        accepted(h, "coroner", 0, 0);
        accepted(h, "coroner", 10 * SECOND, 0);
        for (long t = 0; t <= 30; t += 10) {
            accepted(h, "naloxone", t * SECOND, 0);
        }
        h.setProcessingTime(1_000 * SECOND);
        assertEquals(List.of("naloxone-silent-30000"), drain(h).stream().map(FeedHealth::getEpisodeId).toList(),
                "coroner has one gap, fewer than the three it needs: it is not judged");
        h.close();
    }

    @Test
    void aSourceIsBadWhileMoreThanHalfItsRecordsInTheWindowAreDeadLetters() throws Exception {
        var h = harness();
        accepted(h, "drug_checking", 0, 0);
        h.setProcessingTime(SECOND);
        h.processElement(new StreamRecord<>(new FeedObservation("drug_checking", false, null, null)));
        h.processElement(new StreamRecord<>(new FeedObservation("drug_checking", false, null, null)));
        assertEquals(List.of(), drain(h), "2 of 3 are dead letters, but the window holds fewer than 4 records");
        h.processElement(new StreamRecord<>(new FeedObservation("drug_checking", false, null, null)));
        List<FeedHealth> opened = drain(h);
        assertEquals(List.of("drug_checking-bad-1000 0.75"),
                opened.stream().map(f -> f.getEpisodeId() + " " + f.getDeadLetterShare()).toList());

        // The window moves by slots of 5 s: at 66 s the slot [0 s, 5 s) has left it, and a good record ends the episode.
        accepted(h, "drug_checking", 66 * SECOND, 0);
        List<FeedHealth> ended = drain(h);
        assertEquals(List.of("drug_checking-bad-1000 until 66000 share 0.0"), ended.stream()
                .map(f -> f.getEpisodeId() + " until " + f.getUntil() + " share " + f.getDeadLetterShare()).toList());
        h.close();
    }

    @Test
    void aBacklogCaughtUpBackToBackTeachesNoGap() throws Exception {
        var h = harness();
        // Ten records reported two hours before the job reads them, 10 ms apart: a backlog, not the feed's rhythm.
        for (long t = 0; t < 10; t++) {
            h.setProcessingTime(7_200 * SECOND + t * 10);
            h.processElement(new StreamRecord<>(new FeedObservation("paramedic", true, 0L, 0L)));
        }
        h.setProcessingTime(8_000 * SECOND);
        assertEquals(List.of(), drain(h), "no usual gap was learned, so no silence is called");
        h.close();
    }

    @Test
    void theOpenEpisodeAndTheHistorySurviveARestore() throws Exception {
        var h = harness();
        for (long t = 0; t <= 30; t += 10) {
            accepted(h, "paramedic", t * SECOND, 0);
        }
        h.setProcessingTime(45 * SECOND);
        assertEquals(1, drain(h).size());
        var snapshot = h.snapshot(1, 45 * SECOND);
        h.close();

        var restored = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new FeedWatch(SETTINGS)),
                FeedObservation::getSource, Types.STRING);
        restored.initializeState(snapshot);
        restored.open();
        accepted(restored, "paramedic", 50 * SECOND, 0);
        assertEquals(List.of("paramedic-silent-30000 until 50000"), drain(restored).stream()
                .map(f -> f.getEpisodeId() + " until " + f.getUntil()).toList());
        restored.setProcessingTime(65 * SECOND);
        assertEquals(List.of("paramedic-silent-50000"), drain(restored).stream().map(FeedHealth::getEpisodeId).toList(),
                "the restored history still says 10 s");
        restored.close();
    }
}
