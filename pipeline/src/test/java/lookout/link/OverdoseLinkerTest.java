package lookout.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import lookout.TestHashes;
import lookout.aggregate.CountedEvent;
import lookout.aggregate.Key128;
import lookout.ingest.EventSerializer;
import lookout.schema.DeidentifiedEvent;

class OverdoseLinkerTest {
    private static final Duration WINDOW = Duration.ofHours(2);
    private static final long T0 = Instant.parse("2026-03-14T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    /** A report in an area named after its id, so that the combined event it becomes names it too. */
    private static DeidentifiedEvent event(String signal, String id, long at, String pseudonym) {
        return DeidentifiedEvent.newBuilder().setSignal(signal).setDedupeKey(TestHashes.of(id)).setAreaId(id)
                .setOccurredMinute(at).setSubstances(List.of()).setPseudonym(TestHashes.of(pseudonym)).build();
    }

    private static DeidentifiedEvent event(String signal, String id, long at, String pseudonym, String area) {
        return DeidentifiedEvent.newBuilder(event(signal, id, at, pseudonym)).setAreaId(area).build();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, LinkReport, CountedEvent>
            harness() throws Exception {
        return harness(RuntimeExecutionMode.STREAMING);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, LinkReport, CountedEvent>
            harness(RuntimeExecutionMode mode) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new OverdoseLinker(WINDOW, Duration.ZERO, mode)),
                LinkReport::person, Key128.TYPE);
        h.open();
        return h;
    }

    private static List<CountedEvent> run(List<DeidentifiedEvent> arrivals) throws Exception {
        return run(arrivals, RuntimeExecutionMode.STREAMING);
    }

    /**
     * The final watermark after all input, as BATCH fires a key's timers once its input is done; BATCH leaves
     * its state for Flink to drop with the key.
     */
    private static List<CountedEvent> run(List<DeidentifiedEvent> arrivals, RuntimeExecutionMode mode)
            throws Exception {
        try (var h = harness(mode)) {
            for (DeidentifiedEvent e : arrivals) {
                h.processElement(LinkReport.of(e), e.getOccurredMinute());
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            if (mode == RuntimeExecutionMode.STREAMING) {
                assertEquals(0, h.numKeyedStateEntries(), "state must be empty once the watermark passes the window");
            }
            return h.extractOutputValues();
        }
    }

    @Test
    void aParamedicCallAndANaloxoneReportOfOnePersonWithinTheWindowCountOnce() throws Exception {
        List<CountedEvent> out = run(List.of(event("paramedic", "p1", T0, "person-a"),
                event("naloxone", "n1", T0 + 90 * MINUTE, "person-a")));
        assertEquals(1, out.size());
        assertEquals("combined", out.get(0).signal());
        assertEquals("p1", out.get(0).area());
    }

    @Test
    void theWindowIsInclusiveAndReportsFurtherApartCountTwice() throws Exception {
        assertEquals(1, run(List.of(event("paramedic", "p1", T0, "a"), event("naloxone", "n1", T0 + 120 * MINUTE, "a"))).size());
        assertEquals(2, run(List.of(event("paramedic", "p1", T0, "a"), event("naloxone", "n1", T0 + 121 * MINUTE, "a"))).size());
    }

    @Test
    void anyArrivalOrderWithinTheWindowCountsOnceAtTheFirstArrival() throws Exception {
        List<CountedEvent> out = run(List.of(event("naloxone", "n1", T0 + 60 * MINUTE, "a"),
                event("paramedic", "p1", T0, "a")));
        assertEquals(1, out.size());
        assertEquals("n1", out.get(0).area());
    }

    @Test
    void differentPeopleAndSameSourceReportsAreNeverMerged() throws Exception {
        List<CountedEvent> out = run(List.of(
                event("paramedic", "p1", T0, "a"),
                event("naloxone", "n1", T0 + 10 * MINUTE, "b"),
                event("paramedic", "p2", T0 + 20 * MINUTE, "a"),
                event("naloxone", "n2", T0 + 30 * MINUTE, "a")));
        assertEquals(List.of("p1", "n1", "p2"), out.stream().map(CountedEvent::area).toList());
    }

    @Test
    void aReportArrivingAfterTheWatermarkPassedTheWindowIsCountedOnItsOwn() throws Exception {
        try (var h = harness()) {
            h.processElement(LinkReport.of(event("paramedic", "p1", T0, "a")), T0);
            assertEquals(1, h.numKeyedStateEntries());
            h.processWatermark(new Watermark(T0 + 2 * 60 * MINUTE));
            assertEquals(0, h.numKeyedStateEntries());
            h.processElement(LinkReport.of(event("naloxone", "n1", T0 + 30 * MINUTE, "a")), T0 + 30 * MINUTE);
            assertEquals(2, h.extractOutputValues().size());
        }
    }

    @Test
    void batchSemanticsInputSortedByKeyThenTimeWithTheFinalWatermark() throws Exception {
        List<DeidentifiedEvent> input = new ArrayList<>(List.of(
                event("naloxone", "n-b", T0 + 5 * MINUTE, "b"),
                event("paramedic", "p-a1", T0, "a"),
                event("naloxone", "n-a1", T0 + 30 * MINUTE, "a"),
                event("paramedic", "p-a2", T0 + 5 * 60 * MINUTE, "a"),
                event("paramedic", "p-b", T0, "b")));
        input.sort(Comparator.comparing(DeidentifiedEvent::getPseudonym).thenComparing(DeidentifiedEvent::getOccurredMinute));
        List<CountedEvent> out = run(input);
        // Persons come in the order of their keys, each one's events in time order.
        List<String> expected = new ArrayList<>(List.of("p-a1", "p-a2"));
        expected.add(TestHashes.of("a").compareTo(TestHashes.of("b")) < 0 ? expected.size() : 0, "p-b");
        assertEquals(expected, out.stream().map(CountedEvent::area).toList());
    }

    /**
     * In BATCH, every order of a waiting naloxone report and three reports of one later minute gives the same
     * combined events: the calls are taken before the naloxone report and by area (area-x before area-y)
     * rather than by dedupe key, which an ephemeral pseudonym key changes every run.
     */
    @Test
    void inBatchEveryOrderOfTiedReportsGivesTheSameCombinedEvents() throws Exception {
        List<DeidentifiedEvent> reports = List.of(
                event("naloxone", "n0", T0 - 30 * MINUTE, "a", "area-w"),
                event("paramedic", "p2", T0, "a", "area-x"),
                event("paramedic", "p1", T0, "a", "area-y"),
                event("naloxone", "n1", T0, "a", "area-z"));
        for (List<DeidentifiedEvent> order : permutations(reports)) {
            List<String> combined = run(order, RuntimeExecutionMode.BATCH).stream()
                    .map(e -> e.area() + "@" + (e.occurredMinute() - T0) / MINUTE).toList();
            assertEquals(List.of("area-w@-30", "area-y@0"), combined,
                    "arrival order " + order.stream().map(e -> TestHashes.label(e.getDedupeKey())).toList());
        }
    }

    /**
     * Tied calls of one area differ where they count only by their reported minute (the delay table): the call
     * reported first is taken first, so it links to the waiting naloxone report and the other is counted, in every
     * order.
     */
    @Test
    void inBatchTiedCallsOfOneAreaAreTakenInTheOrderOfTheirReports() throws Exception {
        List<DeidentifiedEvent> reports = List.of(
                reported(event("naloxone", "n0", T0 - 30 * MINUTE, "a", "area-w"), T0 - 30 * MINUTE),
                reported(event("paramedic", "p-late", T0, "a", "area-x"), T0 + 20 * MINUTE),
                reported(event("paramedic", "p-early", T0, "a", "area-x"), T0 + 5 * MINUTE));
        for (List<DeidentifiedEvent> order : permutations(reports)) {
            List<String> combined = run(order, RuntimeExecutionMode.BATCH).stream()
                    .map(e -> e.area() + "@" + (e.occurredMinute() - T0) / MINUTE + ">"
                            + (e.reportedMinute() - T0) / MINUTE).toList();
            assertEquals(List.of("area-w@-30>-30", "area-x@0>20"), combined,
                    "arrival order " + order.stream().map(e -> TestHashes.label(e.getDedupeKey())).toList());
        }
    }

    private static DeidentifiedEvent reported(DeidentifiedEvent e, long at) {
        return DeidentifiedEvent.newBuilder(e).setReportedMinute(at).build();
    }

    /**
     * Flink's batch timer service ignores, with a warning, any timer registered while a key's timers fire; in
     * BATCH the linker needs none: only the timers at report minutes, registered as the reports come in.
     */
    @Test
    void inBatchTheLinkerRegistersNoTimerWhileItsTimersFire() throws Exception {
        try (var h = harness(RuntimeExecutionMode.BATCH)) {
            h.processElement(LinkReport.of(event("naloxone", "n0", T0 - 30 * MINUTE, "a")), T0 - 30 * MINUTE);
            h.processElement(LinkReport.of(event("paramedic", "p1", T0, "a")), T0);
            h.processElement(LinkReport.of(event("naloxone", "n1", T0, "a")), T0);
            assertEquals(2, h.numEventTimeTimers());
            h.processWatermark(new Watermark(T0 - 30 * MINUTE));
            assertEquals(1, h.numEventTimeTimers(), "only the timer at the next report minute is left");
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(List.of("n0", "n1"), h.extractOutputValues().stream().map(CountedEvent::area).toList());
        }
    }

    private static List<List<DeidentifiedEvent>> permutations(List<DeidentifiedEvent> items) {
        if (items.isEmpty()) {
            return List.of(List.of());
        }
        List<List<DeidentifiedEvent>> all = new ArrayList<>();
        for (DeidentifiedEvent first : items) {
            List<DeidentifiedEvent> rest = new ArrayList<>(items);
            rest.remove(first);
            for (List<DeidentifiedEvent> tail : permutations(rest)) {
                List<DeidentifiedEvent> order = new ArrayList<>(List.of(first));
                order.addAll(tail);
                all.add(order);
            }
        }
        return all;
    }

    /**
     * Reports of one person in the same minute reach the linker in no fixed order in BATCH; a backfill must not
     * depend on it. Per person: a call and a naloxone report in one minute in different areas; three reports in
     * one minute; a tie next to a report of another minute; a tie where a later report takes a waiting one.
     */
    @Test
    @Timeout(120)
    void inBatchTiedReportsGiveTheSameCombinedEventsInEveryArrivalOrder() throws Exception {
        List<DeidentifiedEvent> events = List.of(
                event("paramedic", "pa", T0, "a", "area-1"),
                event("naloxone", "na", T0, "a", "area-2"),
                event("naloxone", "nb", T0 + 10 * MINUTE, "b", "area-4"),
                event("paramedic", "pb1", T0 + 10 * MINUTE, "b", "area-3"),
                event("paramedic", "pb2", T0 + 10 * MINUTE, "b", "area-5"),
                event("naloxone", "nc", T0 + 20 * MINUTE, "c", "area-6"),
                event("paramedic", "pc", T0 + 20 * MINUTE, "c", "area-7"),
                event("naloxone", "nc2", T0 + 50 * MINUTE, "c", "area-8"),
                event("naloxone", "nd", T0, "d", "area-9"),
                event("paramedic", "pd1", T0 + 60 * MINUTE, "d", "area-10"),
                event("paramedic", "pd2", T0 + 60 * MINUTE, "d", "area-11"));
        List<String> expected = Stream.of("area-1@0", "area-3@10", "area-5@10", "area-7@20", "area-8@50", "area-9@0",
                "area-11@60").sorted().toList();
        List<DeidentifiedEvent> reversed = new ArrayList<>(events);
        Collections.reverse(reversed);
        assertEquals(expected, combinedInBatch(events));
        assertEquals(expected, combinedInBatch(reversed));
    }

    /** Each combined event as area@minutes after T0, sorted; one source subtask keeps the given arrival order. */
    private static List<String> combinedInBatch(List<DeidentifiedEvent> arrivals) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);
        var stream = env.fromData(arrivals, EventSerializer.TYPE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<DeidentifiedEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.getOccurredMinute()));
        List<String> combined = new ArrayList<>();
        OverdoseLinker.combined(stream, WINDOW, Duration.ZERO).executeAndCollect().forEachRemaining(e ->
                combined.add(e.area() + "@" + (e.occurredMinute() - T0) / MINUTE));
        combined.sort(Comparator.naturalOrder());
        return combined;
    }

    /** The helper in a real (BATCH) job: per-source counts keep both reports, the combined signal counts the person once. */
    @Test
    @Timeout(120)
    void combinedCountsOnceWhilePerSourceCountsTwice() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        List<DeidentifiedEvent> events = List.of(
                event("paramedic", "p1", T0, "person-a"),
                event("naloxone", "n1", T0 + 45 * MINUTE, "person-a"),
                event("naloxone", "n2", T0 + 10 * MINUTE, null),
                event("paramedic", "p2", T0 + 20 * MINUTE, null),
                event("coroner", "c1", T0, "person-c"));
        var stream = env.fromData(events, EventSerializer.TYPE);
        Map<String, Integer> bySignal = new TreeMap<>();
        stream.map(CountedEvent::of, CountedEvent.TYPE).union(OverdoseLinker.combined(stream, WINDOW, Duration.ZERO))
                .executeAndCollect().forEachRemaining(e -> bySignal.merge(e.signal(), 1, Integer::sum));
        assertEquals(Map.of("combined", 3, "coroner", 1, "naloxone", 2, "paramedic", 2), bySignal);
    }
}
