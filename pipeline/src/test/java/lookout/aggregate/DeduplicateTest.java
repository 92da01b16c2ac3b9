package lookout.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
import lookout.ingest.EventSerializer;
import lookout.schema.DeidentifiedEvent;

class DeduplicateTest {
    private static final Duration HORIZON = Duration.ofDays(60);
    private static final long T0 = Instant.parse("2026-03-14T10:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;

    private static DeidentifiedEvent copy(String key, String area, long at, String pseudonym) {
        return DeidentifiedEvent.newBuilder().setSignal("paramedic").setDedupeKey(TestHashes.of(key)).setAreaId(area)
                .setOccurredMinute(at).setSubstances(List.of()).setPseudonym(TestHashes.of(pseudonym)).build();
    }

    private static DeidentifiedEvent copy(String area, long at) {
        return copy("k1", area, at, "person-a");
    }

    private static KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, Long>, DeidentifiedEvent, DeidentifiedEvent>
            harness(RuntimeExecutionMode mode) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new Deduplicate(HORIZON, mode)),
                Deduplicate::key, Key128.TYPE);
        h.open();
        return h;
    }

    /** Each passed event as area@minutes after T0, with the final watermark after all input as in BATCH. */
    private static List<String> run(List<DeidentifiedEvent> arrivals, RuntimeExecutionMode mode) throws Exception {
        try (var h = harness(mode)) {
            for (DeidentifiedEvent e : arrivals) {
                h.processElement(e, e.getOccurredMinute());
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            return h.extractOutputValues().stream().map(DeduplicateTest::cell).toList();
        }
    }

    private static String cell(DeidentifiedEvent e) {
        return e.getAreaId() + "@" + (e.getOccurredMinute() - T0) / MINUTE;
    }

    @Test
    void inStreamingTheFirstCopyPassesAtOnceAndLaterCopiesAreDropped() throws Exception {
        try (var h = harness(RuntimeExecutionMode.STREAMING)) {
            h.processElement(copy("area-2", T0), T0);
            assertEquals(List.of("area-2@0"), h.extractOutputValues().stream().map(DeduplicateTest::cell).toList(),
                    "passed before any watermark");
            h.processElement(copy("area-1", T0), T0);
            h.processElement(copy("area-0", T0 - 5 * MINUTE), T0 - 5 * MINUTE);
            assertEquals(1, h.extractOutputValues().size());
            assertEquals(1, h.numKeyedStateEntries(), "one seen-flag per key");
            assertEquals(0, h.numEventTimeTimers());
        }
    }

    /**
     * In BATCH a key's copies of one minute come in no fixed order: two copies at the same minute in different
     * areas and a third a minute later give the same single event in every order, the earliest minute's copy
     * first by content (area-1 before area-2), never the later one.
     */
    @Test
    void inBatchTiedCopiesGiveTheSameEventInEveryOrder() throws Exception {
        DeidentifiedEvent a = copy("area-1", T0);
        DeidentifiedEvent b = copy("area-2", T0);
        DeidentifiedEvent later = copy("area-0", T0 + 5 * MINUTE);
        for (List<DeidentifiedEvent> order : List.of(List.of(a, b, later), List.of(b, a, later), List.of(later, b, a))) {
            assertEquals(List.of("area-1@0"), run(order, RuntimeExecutionMode.BATCH),
                    "arrival order " + order.stream().map(DeduplicateTest::cell).toList());
        }
    }

    /** The pseudonym changes with an ephemeral key: it decides nothing between copies. */
    @Test
    void inBatchThePseudonymDoesNotDecideBetweenCopiesOfDifferentContent() throws Exception {
        DeidentifiedEvent a = copy("k1", "area-1", T0, "zz-pseudonym");
        DeidentifiedEvent b = copy("k1", "area-2", T0, "aa-pseudonym");
        assertEquals(List.of("area-1@0"), run(List.of(a, b), RuntimeExecutionMode.BATCH));
        assertEquals(List.of("area-1@0"), run(List.of(b, a), RuntimeExecutionMode.BATCH));
    }

    /**
     * A resend that corrected only the person: a backfill cannot tell which copy came last, and an order of the
     * pseudonyms would change with the key, so in every order the event passes without a person (it links nobody);
     * copies that agree on the person keep it, and a copy of an earlier minute still decides alone.
     */
    @Test
    void inBatchTiedCopiesOfDifferentPeoplePassAsAnEventOfNobodyKnownInEveryOrder() throws Exception {
        DeidentifiedEvent wrong = copy("k1", "area-1", T0, "wrong-number");
        DeidentifiedEvent right = copy("k1", "area-1", T0, "right-number");
        DeidentifiedEvent again = copy("k1", "area-1", T0, "right-number");
        for (List<DeidentifiedEvent> order : List.of(List.of(wrong, right, again), List.of(right, wrong, again),
                List.of(right, again, wrong), List.of(again, right, wrong))) {
            assertEquals(List.of("area-1@0 nobody"), runWithPerson(order), "arrival order");
        }
        assertEquals(List.of("area-1@0 right-number"), runWithPerson(List.of(right, again)));
        DeidentifiedEvent earlier = copy("k1", "area-2", T0 - MINUTE, "right-number");
        assertEquals(List.of("area-2@-1 right-number"), runWithPerson(List.of(wrong, right, earlier)));
        assertEquals(List.of("area-2@-1 right-number"), runWithPerson(List.of(earlier, wrong, right)));
    }

    private static List<String> runWithPerson(List<DeidentifiedEvent> arrivals) throws Exception {
        try (var h = harness(RuntimeExecutionMode.BATCH)) {
            for (DeidentifiedEvent e : arrivals) {
                h.processElement(e, e.getOccurredMinute());
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            return h.extractOutputValues().stream().map(e -> cell(e) + " " + (e.getPseudonym() == null ? "nobody"
                    : e.getPseudonym().equals(TestHashes.of("right-number")) ? "right-number" : "wrong-number"))
                    .toList();
        }
    }

    /**
     * Flink's batch timer service ignores, with a warning, a timer registered while a key's timers fire: timers
     * are registered only as copies arrive, one per key while its copies come in time order, and a key keeps one
     * candidate, never a list.
     */
    @Test
    void inBatchAKeyKeepsOneCandidateAndRegistersNoTimerWhileItsTimersFire() throws Exception {
        try (var h = harness(RuntimeExecutionMode.BATCH)) {
            h.processElement(copy("k1", "area-2", T0, "a"), T0);
            h.processElement(copy("k1", "area-1", T0, "a"), T0);
            h.processElement(copy("k1", "area-0", T0 + MINUTE, "a"), T0 + MINUTE);
            h.processElement(copy("k2", "area-3", T0 + MINUTE, "b"), T0 + MINUTE);
            assertEquals(2, h.numKeyedStateEntries(), "one candidate per key");
            assertEquals(2, h.numEventTimeTimers(), "one timer per key");
            assertEquals(0, h.extractOutputValues().size(), "nothing passes before the key's input is done");
            h.processWatermark(new Watermark(Long.MAX_VALUE));
            assertEquals(0, h.numEventTimeTimers());
            assertEquals(0, h.numKeyedStateEntries());
            assertEquals(List.of("area-1@0", "area-3@1"), h.extractOutputValues().stream().map(DeduplicateTest::cell).toList());
        }
    }

    @Test
    void theModeMustBeResolved() {
        assertThrows(IllegalArgumentException.class, () -> new Deduplicate(HORIZON, RuntimeExecutionMode.AUTOMATIC));
    }

    /**
     * The operator as the job wires it, in a BATCH job: three keys with tied copies in two arrival orders give
     * the same events, each key once.
     */
    @Test
    @Timeout(120)
    void inABatchJobTiedCopiesGiveTheSameEventsInEitherOrder() throws Exception {
        List<DeidentifiedEvent> copies = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            copies.add(copy("k" + i, "area-" + (i + 1), T0, "p" + i));
            copies.add(copy("k" + i, "area-" + i, T0, "p" + i));
            copies.add(copy("k" + i, "area-0", T0 + 5 * MINUTE, "p" + i));
        }
        List<DeidentifiedEvent> reversed = new ArrayList<>(copies);
        Collections.reverse(reversed);
        List<String> expected = List.of("area-1@0", "area-2@0", "area-3@0");
        assertEquals(expected, uniqueInBatch(copies));
        assertEquals(expected, uniqueInBatch(reversed));
    }

    private static List<String> uniqueInBatch(List<DeidentifiedEvent> arrivals) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        var stream = env.fromData(arrivals, EventSerializer.TYPE)
                .assignTimestampsAndWatermarks(WatermarkStrategy.<DeidentifiedEvent>forMonotonousTimestamps()
                        .withTimestampAssigner((e, previous) -> e.getOccurredMinute()));
        List<String> out = new ArrayList<>();
        Deduplicate.unique(stream, HORIZON).executeAndCollect().forEachRemaining(e -> out.add(cell(e)));
        out.sort(null);
        return out;
    }
}
