package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import lookout.TestHashes;
import lookout.detect.SubstanceWatch;
import lookout.schema.CountDelta;
import lookout.schema.DeidentifiedEvent;
import lookout.schema.DelayDelta;
import lookout.schema.SubstanceDelta;
import lookout.schema.TableRow;

class CombineIncrementsTest {
    private static final long T0 = Instant.parse("2026-02-09T15:10:00Z").toEpochMilli();
    private static final long HOUR = 3_600_000L;

    private static CountedEvent event(String signal, String area, long at, Long reported, List<String> found) {
        return CountedEvent.of(DeidentifiedEvent.newBuilder().setSignal(signal).setDedupeKey(TestHashes.of("k"))
                .setAreaId(area).setOccurredMinute(at).setReportedMinute(reported).setSubstances(found).build());
    }

    private static OneInputStreamOperatorTestHarness<CountedEvent, TableRow> harness(int maxHourCells,
            int maxCoarseCells) throws Exception {
        var h = new OneInputStreamOperatorTestHarness<>(new CombineIncrements(
                new TimeBuckets(ZoneId.of("America/Toronto")),
                substance -> SubstanceWatch.defaults().match(substance).orElse(null), maxHourCells, maxCoarseCells));
        h.open();
        return h;
    }

    private static void add(OneInputStreamOperatorTestHarness<CountedEvent, TableRow> h, CountedEvent e)
            throws Exception {
        h.processElement(e, e.occurredMinute());
    }

    /** The rows out so far, one line each, without the harness's record of watermarks. */
    private static List<String> rows(OneInputStreamOperatorTestHarness<CountedEvent, TableRow> h) {
        return h.extractOutputValues().stream().map(CombineIncrementsTest::line).toList();
    }

    private static String line(TableRow r) {
        if (r.getCount() != null) {
            return "count " + r.getCount().getGranularity() + " " + r.getCount().getAreaId() + " "
                    + r.getCount().getSignal() + " " + r.getCount().getDelta();
        }
        if (r.getDelay() != null) {
            return "delay " + r.getDelay().getSignal() + " " + r.getDelay().getOccurredDay() + " "
                    + r.getDelay().getReportedDay() + " " + r.getDelay().getDelta();
        }
        return "substance " + r.getSubstance().getAreaId() + " " + r.getSubstance().getSubstance() + " "
                + r.getSubstance().getDelta();
    }

    @Test
    void eventsOfOneCellLeaveAsOneRowWithTheirSumWhenTheInputEnds() throws Exception {
        try (var h = harness(CombineIncrements.MIN_CELLS, CombineIncrements.MIN_CELLS)) {
            add(h, event("paramedic", "A1", T0, T0 + HOUR, List.of()));
            add(h, event("paramedic", "A1", T0 + 20 * 60_000, T0 + HOUR, List.of()));
            add(h, event("paramedic", "A2", T0 + 2 * HOUR, null, List.of()));
            add(h, event("drug_checking", "A1", T0, null, List.of("fentanyl", "fentanyl")));
            add(h, event("drug_checking", "A1", T0 + HOUR, null, List.of("fentanyl")));
            assertEquals(List.of(), rows(h), "nothing leaves before the input ends, the watermark moves or a barrier");
            h.endInput();
            assertEquals(List.of(
                    "count hour A1 paramedic 2",
                    "count hour A2 paramedic 1",
                    "count hour A1 drug_checking 1",
                    "count hour A1 drug_checking 1",
                    "count day A1 paramedic 2",
                    "delay paramedic 2026-02-09 2026-02-09 2",
                    "count day A2 paramedic 1",
                    "count day A1 drug_checking 2",
                    "substance A1 null 2",
                    "substance A1 fentanyl 2"), rows(h),
                    "each cell once, the hourly ones first, each kind in the order first counted; a report without"
                            + " a reported time has no delay row");
        }
    }

    @Test
    void eachKindOfRowCarriesItsBucketsAndTheSubstancesTheirWatchEntries() throws Exception {
        try (var h = harness(CombineIncrements.MIN_CELLS, CombineIncrements.MIN_CELLS)) {
            add(h, event("drug_checking", "A1", T0, T0 + 50 * HOUR, List.of("isotonitazene", "other")));
            h.endInput();
            long hourStart = Instant.parse("2026-02-09T15:00:00Z").getEpochSecond();
            long dayStart = Instant.parse("2026-02-09T05:00:00Z").getEpochSecond();
            assertEquals(List.of(
                    row(new CountDelta("hour", hourStart, "A1", "drug_checking", 1L)),
                    row(new CountDelta("day", dayStart, "A1", "drug_checking", 1L)),
                    row(new DelayDelta("drug_checking", "2026-02-09", "2026-02-11", 1L)),
                    row(new SubstanceDelta("A1", "2026-02-09", null, null, 1L)),
                    row(new SubstanceDelta("A1", "2026-02-09", "isotonitazene", "nitazene", 1L)),
                    row(new SubstanceDelta("A1", "2026-02-09", "other", null, 1L))),
                    h.extractOutputValues(),
                    "10:10 on Monday 9 February in Toronto, reported on the 11th; isotonitazene is on the watch list"
                            + " as a nitazene");
        }
    }

    private static TableRow row(Object delta) {
        TableRow.Builder row = TableRow.newBuilder();
        if (delta instanceof CountDelta c) {
            return row.setCount(c).build();
        }
        if (delta instanceof DelayDelta d) {
            return row.setDelay(d).build();
        }
        return row.setSubstance((SubstanceDelta) delta).build();
    }

    /**
     * A stream's sums leave before each checkpoint barrier, so the snapshot holds none and what it covers is in
     * its own sink transaction: a restore from it neither repeats nor loses an increment.
     */
    @Test
    void aCheckpointTakesNoSumsAndARestoreCountsOnlyWhatCameAfterIt() throws Exception {
        var snapshot = new Object() {
            org.apache.flink.runtime.checkpoint.OperatorSubtaskState state;
        };
        try (var h = harness(CombineIncrements.MIN_CELLS, CombineIncrements.MIN_CELLS)) {
            add(h, event("coroner", "A1", T0, null, List.of()));
            add(h, event("coroner", "A1", T0, null, List.of()));
            h.prepareSnapshotPreBarrier(1);
            snapshot.state = h.snapshot(1, T0);
            assertEquals(List.of("count hour A1 coroner 2", "count day A1 coroner 2"), rows(h));
            add(h, event("coroner", "A1", T0, null, List.of()));
        }
        var restored = new OneInputStreamOperatorTestHarness<>(new CombineIncrements(
                new TimeBuckets(ZoneId.of("America/Toronto")), substance -> null));
        restored.initializeState(snapshot.state);
        restored.open();
        add(restored, event("coroner", "A1", T0, null, List.of()));
        restored.endInput();
        assertEquals(List.of("count hour A1 coroner 1", "count day A1 coroner 1"), rows(restored),
                "the increment after the checkpoint is replayed by the source, once; none from before it");
        restored.close();
    }

    @Test
    void theWatermarkCarriesTheSumsOutAheadOfIt() throws Exception {
        try (var h = harness(CombineIncrements.MIN_CELLS, CombineIncrements.MIN_CELLS)) {
            add(h, event("naloxone", "A3", T0, null, List.of()));
            h.processWatermark(new Watermark(T0));
            assertEquals(List.of("count hour A3 naloxone 1", "count day A3 naloxone 1"), rows(h));
            assertEquals(new Watermark(T0), h.getOutput().toArray()[2], "the rows, then the watermark");
            h.processWatermark(new Watermark(T0 + 1));
            assertEquals(2, rows(h).size(), "an empty flush adds nothing");
        }
    }

    @Test
    void hourlyCellsLeaveOnTheirOwnWhenTheirCapIsReachedAndTheDaysKeepSumming() throws Exception {
        try (var h = harness(2, CombineIncrements.MIN_CELLS)) {
            for (String area : List.of("A0", "A1", "A0")) {
                add(h, event("paramedic", area, T0, null, List.of()));
            }
            assertEquals(List.of("count hour A0 paramedic 1", "count hour A1 paramedic 1"), rows(h),
                    "the second hourly cell fills their table, which leaves at once; the days stay");
            h.endInput();
            assertEquals(List.of("count hour A0 paramedic 1", "count hour A1 paramedic 1", "count hour A0 paramedic 1",
                    "count day A0 paramedic 2", "count day A1 paramedic 1"), rows(h));
        }
    }

    @Test
    void aFullTableOfCoarseCellsFlushesEverythingAndTheSumsStillAddUp() throws Exception {
        try (var h = harness(CombineIncrements.MIN_CELLS, 2)) {
            for (String area : List.of("A0", "A1", "A2")) {
                add(h, event("paramedic", area, T0, null, List.of()));
            }
            assertEquals(List.of("count hour A0 paramedic 1", "count hour A1 paramedic 1", "count day A0 paramedic 1",
                    "count day A1 paramedic 1"), rows(h), "the second day cell fills the table: every cell leaves");
            h.endInput();
            assertEquals(6, rows(h).size());
        }
    }

    @Test
    void theCoarseCellsGetAnEighthOfTheHeapButNeverFewerThanTheLeastCap() {
        assertEquals(599_186, CombineIncrements.coarseCellsFor(1L << 30, 2), "a 1 GiB heap, two subtasks");
        assertEquals(CombineIncrements.MIN_CELLS, CombineIncrements.coarseCellsFor(64L << 20, 64));
    }

    @Test
    void theHourlyCellsGetAQuarterOfTheHeapInAPowerOfTwoButNeverFewerThanTheLeastCap() {
        assertEquals(1 << 21, CombineIncrements.hourCellsFor(1L << 30, 2),
                "a 1 GiB heap, two subtasks: 128 MiB each holds 2,581,110 cells of 52 bytes");
        assertEquals(1 << 22, CombineIncrements.hourCellsFor(1L << 30, 1));
        assertEquals(CombineIncrements.MIN_CELLS, CombineIncrements.hourCellsFor(64L << 20, 64));
    }

    @Test
    void anAreaGoesToOneSubtaskAndAHundredAndFiftyEightNumberedAreasSpreadEvenly() {
        int[] perSubtask = new int[2];
        for (int i = 1; i <= 158; i++) {
            String area = "%03d".formatted(i);
            int subtask = CombineIncrements.BY_AREA.partition(area, 2);
            assertEquals(subtask, CombineIncrements.BY_AREA.partition(new String(area), 2), area);
            perSubtask[subtask]++;
        }
        assertEquals("76 and 82", perSubtask[0] + " and " + perSubtask[1], "areas per subtask");
    }
}
