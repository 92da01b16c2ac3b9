package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SubstanceJudgeTest {

    private final SubstanceJudge judge = new SubstanceJudge(SubstanceWatch.defaults(), 14,
            Map.of("77", Set.of("76"), "76", Set.of("77")), TestEvents.TORONTO);
    private final SubstanceJudge.InMemoryStore store = new SubstanceJudge.InMemoryStore();

    private List<String> sample(String area, long time, String... substances) throws Exception {
        List<String> out = new ArrayList<>();
        for (Finding f : judge.sample(area, time, List.of(substances), store)) {
            assertEquals(area, f.foundInArea);
            out.add(f.substance + ":" + f.reason);
        }
        return out;
    }

    /**
     * Area 76 checks two samples a day for nine weeks, xylazine in one of them: xylazine at its usual share (half)
     * is never notable. On day 63 four samples in neighbouring 77 all hold xylazine and medetomidine, found once in
     * the 113 samples of days 1-56. Days 57-63 then hold 14 + k samples with k medetomidine: its chance under the
     * baseline share is 0.171, 0.026, 0.0040, 0.00061 for k = 1..4, so the fourth is rising (below 0.003);
     * xylazine's (7 + k of 14 + k) stays at 0.49-0.25.
     */
    @Test
    void aRareAdulterantFoundOftenNearbyIsRisingACommonOneAtItsUsualShareIsNot() throws Exception {
        List<String> findings = new ArrayList<>();
        for (int d = 0; d < 64; d++) {
            findings.addAll(sample("76", TestEvents.at(d, 8, 0), "fentanyl", "xylazine"));
            findings.addAll(sample("76", TestEvents.at(d, 9, 0), "fentanyl"));
            if (d == 10) {
                findings.addAll(sample("76", TestEvents.at(d, 10, 0), "fentanyl", "medetomidine"));
            }
        }
        assertEquals(List.of(), findings, "xylazine in half the samples, week after week, is never notable");
        assertEquals(List.of(), sample("77", TestEvents.at(63, 10, 0), "fentanyl", "xylazine", "medetomidine"));
        assertEquals(List.of(), sample("77", TestEvents.at(63, 11, 0), "fentanyl", "xylazine", "medetomidine"));
        assertEquals(List.of(), sample("77", TestEvents.at(63, 12, 0), "fentanyl", "xylazine", "medetomidine"));
        assertEquals(List.of("medetomidine:rising_share"),
                sample("77", TestEvents.at(63, 13, 0), "fentanyl", "xylazine", "medetomidine"));
    }

    /**
     * Carfentanil is notable whenever found; a substance is new only when first seen after the city has been
     * watched for 14 days, and for 14 days after that; "other" and "unknown" are never judged.
     */
    @Test
    void alwaysNotableAndNewSubstances() throws Exception {
        assertEquals(List.of("carfentanil:always_notable"), sample("10", TestEvents.at(0, 12, 0), "carfentanil"));
        assertEquals(List.of(), sample("10", TestEvents.at(5, 12, 0), "etizolam"));
        assertEquals(List.of(), sample("10", TestEvents.at(30, 12, 0), "etizolam"));
        assertEquals(List.of("bromazolam:new_in_city", "protonitazepyne:always_notable"),
                sample("11", TestEvents.at(30, 12, 0), "bromazolam", "other", "unknown", "protonitazepyne"));
        assertEquals(List.of("bromazolam:new_in_city"), sample("12", TestEvents.at(44, 11, 0), "bromazolam"));
        assertEquals(List.of(), sample("12", TestEvents.at(44, 13, 0), "bromazolam"), "first seen over 14 days ago");
        assertEquals(List.of("xylazine:new_in_city"), sample("12", TestEvents.at(45, 13, 0), "xylazine"),
                "a watch-list substance new to the city is said as new");
    }

    /** Counts per day live in rings of baseline + recent days: nine weeks of samples keep 63 days per key. */
    @Test
    void stateIsBoundedByKeysAndDaysNotSamples() throws Exception {
        for (int d = 0; d < 200; d++) {
            for (int i = 0; i < 5; i++) {
                sample("76", TestEvents.at(d, 8 + i, 0), "fentanyl", "xylazine", "cocaine");
            }
        }
        assertEquals(Set.of("76", "*", "76|xylazine", "*|xylazine"), store.rings().keySet(),
                "only watch-list substances are counted, per area and city-wide");
        assertEquals(63, store.rings().get("76").counts.length);
        assertEquals(35, store.rings().get("76|xylazine").sum(TestEvents.at(0, 0, 0) / 86_400_000L + 193,
                TestEvents.at(0, 0, 0) / 86_400_000L + 199));
    }
}
