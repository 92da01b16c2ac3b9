package lookout.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import lookout.config.LookoutConfig;
import lookout.detect.SubstanceChange;
import lookout.detect.SubstanceWatch;
import lookout.kernel.UsageException;

/** The job turns {@code detection.toxicity.*} into the detectors' watch list, checked against the vocabulary. */
class ToxicityConfigTest {

    @Test
    void theDefaultsAreTheDetectorsDefaults() {
        SubstanceWatch w = LookoutJob.watch(LookoutConfig.defaults().toxicity());
        assertEquals(SubstanceChange.DEFAULT, w.change());
        assertTrue(w.critical("isotonitazene"));
        assertEquals("xylazine", w.match("xylazine").orElseThrow());
    }

    @Test
    void aConfiguredListReplacesTheDefault() {
        SubstanceWatch w = LookoutJob.watch(LookoutConfig.defaults()
                .with("detection.toxicity.watch_list", "bromazolam").with("detection.toxicity.always_notable", "")
                .with("detection.toxicity.rising_alpha", "0.01").toxicity());
        assertTrue(w.match("xylazine").isEmpty());
        assertEquals("bromazolam", w.match("bromazolam").orElseThrow());
        assertFalse(w.critical("carfentanil"));
        assertEquals(new SubstanceChange(56, 7, 0.01, 3), w.change());
    }

    @Test
    void aNameOutsideTheVocabularyStopsWithOneLine() {
        UsageException e = assertThrows(UsageException.class, () -> LookoutJob.watch(LookoutConfig.defaults()
                .with("detection.toxicity.always_notable", "carfentanil,nitazenes").toxicity()));
        assertEquals("config: detection.toxicity: watch list entry \"nitazenes\" is neither a substance term nor a"
                + " family of the vocabulary", e.getMessage());
    }
}
