package lookout.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ToxicityRuleTest {
    private static final long H = 3_600_000L;
    private final ToxicityRule rule = DetectorCatalog.toxicityDefault();
    private final long start = 480_000;
    private final long now = (start + 28 * 24 + 20) * H;

    private HourlyCounts paramedic;
    private HourlyCounts naloxone;
    private HourlyCounts both;

    private void quietMonthThen(int paramedicToday, int naloxoneToday) {
        paramedic = new HourlyCounts(rule.capacityHours());
        naloxone = new HourlyCounts(rule.capacityHours());
        both = new HourlyCounts(rule.capacityHours());
        for (int d = 0; d < 28; d++) {
            add(paramedic, start + d * 24L + 9);
            add(naloxone, start + d * 24L + 15);
        }
        for (int i = 0; i < paramedicToday; i++) {
            add(paramedic, start + 28 * 24L + 10 + i);
        }
        for (int i = 0; i < naloxoneToday; i++) {
            add(naloxone, start + 28 * 24L + 12 + i);
        }
    }

    private void add(HourlyCounts one, long hour) {
        one.add(hour);
        both.add(hour);
    }

    private static Finding finding(String area, long time, String substance, String entry, boolean novel,
            boolean critical) {
        String reason = critical ? SubstanceJudge.ALWAYS : novel ? SubstanceJudge.NEW : null;
        return new Finding("77", area, time, substance, entry, novel, critical, reason);
    }

    private static Finding rising(String area, long time, String substance) {
        return new Finding("77", area, time, substance, substance, false, false, SubstanceJudge.RISING);
    }

    @Test
    void overdosesUpAndCarfentanilFoundNextDoorIsCritical() {
        quietMonthThen(5, 4);
        Firing f = rule.evaluate("77", paramedic, naloxone, both,
                List.of(finding("76", now - 48 * H, "carfentanil", "carfentanil", false, true)), now,
                TestEvents.TORONTO).orElseThrow();
        assertEquals("critical", f.severity());
        assertEquals(9, f.observed());
        assertEquals(List.of("76"), f.evidence().get("found_in_areas"));
        assertEquals("5", f.evidence().get("paramedic"));
        assertEquals("fewer than 5", f.evidence().get("naloxone"));
        assertTrue(f.explanation().contains("carfentanil"), f.explanation());
        assertTrue(f.explanation().contains("area 76"), f.explanation());
    }

    @Test
    void risingXylazineOrANewSubstanceIsHighNotCritical() {
        quietMonthThen(5, 4);
        Firing f = rule.evaluate("77", paramedic, naloxone, both,
                List.of(rising("77", now - H, "xylazine"), finding("78", now - H, "bromazolam", null, true, false)),
                now, TestEvents.TORONTO).orElseThrow();
        assertEquals("high", f.severity());
        assertEquals(List.of("77", "78"), f.evidence().get("found_in_areas"));
        assertEquals(Map.of("bromazolam", "new_in_city", "xylazine", "rising_share"),
                f.evidence().get("notable_substances"));
        assertEquals(List.of("more xylazine than usual"), f.evidence().get("watch_list_found"));
        assertEquals(List.of("bromazolam"), f.evidence().get("new_substances_found"));
        assertTrue(f.explanation().contains("drug checking recently found more xylazine than usual, and a substance"
                + " not seen before in the city (bromazolam) in samples from area 77, 78."), f.explanation());
    }

    /** Xylazine found in a sample, as it is every week where it is common, is not evidence of a change. */
    @Test
    void aWatchListSubstanceThatIsMerelyPresentIsNotEnough() {
        quietMonthThen(5, 4);
        assertTrue(rule.evaluate("77", paramedic, naloxone, both,
                List.of(finding("77", now - H, "xylazine", "xylazine", false, false)), now, TestEvents.TORONTO)
                .isEmpty());
    }

    @Test
    void needsEveryPieceOfEvidence() {
        Finding carfentanil = finding("76", now - 48 * H, "carfentanil", "carfentanil", false, true);
        quietMonthThen(5, 4);
        assertTrue(rule.evaluate("77", paramedic, naloxone, both, List.of(), now, TestEvents.TORONTO).isEmpty(),
                "no finding");
        assertTrue(rule.evaluate("77", paramedic, naloxone, both,
                List.of(finding("76", now - 8 * 24 * H, "carfentanil", "carfentanil", false, true)), now,
                TestEvents.TORONTO).isEmpty(), "finding older than a week");
        assertTrue(rule.evaluate("77", paramedic, naloxone, both,
                List.of(finding("76", now - H, "cocaine", null, false, false)), now, TestEvents.TORONTO).isEmpty(),
                "an ordinary substance");
        quietMonthThen(9, 0);
        assertTrue(rule.evaluate("77", paramedic, naloxone, both, List.of(carfentanil), now, TestEvents.TORONTO)
                .isEmpty(), "paramedic calls alone");
        quietMonthThen(1, 1);
        assertTrue(rule.evaluate("77", paramedic, naloxone, both, List.of(carfentanil), now, TestEvents.TORONTO)
                .isEmpty(), "overdoses not above usual");
    }

    @Test
    void watchListMatchesWholeDrugClasses() {
        SubstanceWatch w = SubstanceWatch.defaults();
        assertEquals("nitazene", w.match("Protonitazene").orElseThrow());
        assertTrue(w.critical("isotonitazene"));
        assertTrue(w.match("medetomidine").isPresent());
        assertTrue(w.match("fentanyl").isEmpty());
    }

    /**
     * The watch list names vocabulary terms and families: "nitazene" flags every member of the class, including
     * the N-pyrrolidino ones whose names do not contain "nitazene", and nothing that is only free text.
     */
    @Test
    void watchListMatchesVocabularyFamiliesNotSubstrings() {
        SubstanceWatch w = SubstanceWatch.defaults();
        for (String nitazene : List.of("etonitazepyne", "protonitazepyne", "metonitazepyne", "etodesnitazene",
                "n-desethyl isotonitazene", "nitazene")) {
            assertEquals("nitazene", w.match(nitazene).orElse(null), nitazene);
            assertTrue(w.critical(nitazene), nitazene);
        }
        assertEquals("xylazine", w.match("xylazine").orElseThrow());
        assertTrue(w.match("other").isEmpty());
        assertTrue(w.match("nitazene zzcanarysubst john doe 555-0199").isEmpty());
        assertFalse(w.critical("nitazene zzcanarysubst john doe 555-0199"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SubstanceWatch(List.of("carfentanil", "nitazenes"), List.of()));
        assertEquals("watch list entry \"nitazenes\" is neither a substance term nor a family of the vocabulary",
                e.getMessage());
    }

    /** The generic "nitazene" is said as such; a named member is said with its name. */
    @Test
    void aNitazeneIsNamedWhenItsMemberIsKnown() {
        quietMonthThen(5, 4);
        Firing named = rule.evaluate("77", paramedic, naloxone, both,
                List.of(finding("77", now - H, "protonitazepyne", "nitazene", false, true)), now, TestEvents.TORONTO)
                .orElseThrow();
        assertTrue(named.explanation().contains("found a nitazene (protonitazepyne) in samples"), named.explanation());
        Firing generic = rule.evaluate("77", paramedic, naloxone, both,
                List.of(finding("77", now - H, "nitazene", "nitazene", false, true)), now, TestEvents.TORONTO)
                .orElseThrow();
        assertTrue(generic.explanation().contains("found a nitazene in samples"), generic.explanation());
    }
}
