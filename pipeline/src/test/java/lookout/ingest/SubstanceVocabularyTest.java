package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SubstanceVocabularyTest {
    private static final SubstanceVocabulary VOCABULARY = SubstanceVocabulary.standard();

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "fentanyl;fentanyl",
        " Fentanyl ;fentanyl",
        "FENT;fentanyl",
        "fentanyl citrate;fentanyl",
        "Carfentanyl;carfentanil",
        "para-Fluorofentanyl;fluorofentanyl",
        "p-FF;fluorofentanyl",
        "4-ANPP;4-anpp",
        "4 ANPP;4-anpp",
        "Phenethyl-4-ANPP;phenethyl-4-anpp",
        "Isotonitazene;isotonitazene",
        "nitazenes;nitazene",
        "N-pyrrolidino protonitazene;protonitazepyne",
        "N-Pyrrolidino-Etonitazene;etonitazepyne",
        "N-desethyl isotonitazene;n-desethyl isotonitazene",
        "Tranq;xylazine",
        "Dexmedetomidine;medetomidine",
        "benzos;benzodiazepine",
        "Bromazolam;bromazolam",
        "Desalkylgidazepam;desalkylgidazepam",
        "meth;methamphetamine",
        "Crystal Meth;methamphetamine",
        "Cocaine HCl;cocaine",
        "crack cocaine;crack",
        "Héroïne;heroin",
        "6-MAM;6-mam",
        "Ecstasy;mdma",
        "Ketamine hydrochloride;ketamine",
        "Dimethyl sulfone;dimethyl sulfone",
        "MSM;dimethyl sulfone",
        "Caffeine;caffeine",
        "opioids;opioid",
        "unknown;unknown",
    })
    void knownSpellingsMapToTheirTerm(String name, String term) {
        assertEquals(term, VOCABULARY.term(name));
    }

    /** A name plus anything else is not a name: the whole value must be a known spelling, so nothing rides along. */
    @ParameterizedTest
    @ValueSource(strings = {
        "Nitazene zzcanarysubst John Doe 555-0199",
        "fentanyl from John at 555-0199",
        "call 416-555-0199",
        "John Doe",
        "zzcanarysubst",
        "other",
    })
    void freeTextBecomesOtherAndNeverTheText(String name) {
        assertEquals(SubstanceVocabulary.OTHER, VOCABULARY.term(name));
    }

    @Test
    void aVeryLongValueIsOther() {
        assertEquals(SubstanceVocabulary.OTHER, VOCABULARY.term("fentanyl ".repeat(100_000)));
    }

    @Test
    void anAbsentOrBlankNameIsNoSubstance() {
        assertNull(VOCABULARY.term(null));
        assertNull(VOCABULARY.term(""));
        assertNull(VOCABULARY.term(" \t "));
        assertNull(VOCABULARY.term("--"));
    }

    @Test
    void everyTermIsItsOwnSpellingAndLowerCase() {
        assertTrue(VOCABULARY.terms().size() > 80, "terms: " + VOCABULARY.terms().size());
        for (String term : VOCABULARY.terms()) {
            assertEquals(term, VOCABULARY.term(term));
            assertEquals(term, term.strip().toLowerCase(java.util.Locale.ROOT));
        }
        assertTrue(VOCABULARY.isTerm(SubstanceVocabulary.OTHER));
        assertFalse(VOCABULARY.isTerm("zzcanarysubst"));
    }

    @Test
    void familiesGroupTheirMembers() {
        for (String nitazene : List.of("nitazene", "isotonitazene", "protonitazene", "metonitazene", "etonitazene",
                "etonitazepyne", "protonitazepyne", "etodesnitazene", "n-desethyl isotonitazene")) {
            assertEquals("nitazene", VOCABULARY.family(nitazene), nitazene);
        }
        assertEquals("fentanyl", VOCABULARY.family("carfentanil"));
        assertEquals("benzodiazepine", VOCABULARY.family("bromazolam"));
        assertNull(VOCABULARY.family("caffeine"));
        assertNull(VOCABULARY.family(SubstanceVocabulary.OTHER));
        assertNull(VOCABULARY.family(null));
        assertFalse(VOCABULARY.isTermOrFamily(null));
        assertTrue(VOCABULARY.isTermOrFamily("nitazene"));
        assertFalse(VOCABULARY.isTermOrFamily("nitazenes"));
    }

    /** Only names of a substance can be new to a city; "other", "unknown" and free text name none. */
    @Test
    void otherAndUnknownNameNoParticularSubstance() {
        assertFalse(VOCABULARY.namesASubstance(SubstanceVocabulary.OTHER));
        assertFalse(VOCABULARY.namesASubstance("unknown"));
        assertTrue(VOCABULARY.namesASubstance("bromazolam"));
        assertFalse(VOCABULARY.namesASubstance("nitazene zzcanarysubst john doe 555-0199"));
    }

    @Test
    void aSpellingClaimedByTwoTermsIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SubstanceVocabulary.parse(
                "speed | | go fast\ncocaine | | Go-Fast\n", "test vocabulary"));
        assertEquals("test vocabulary line 2: spelling \"Go-Fast\" of cocaine is already a spelling of speed",
                e.getMessage());
    }

    @Test
    void aMalformedLineIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SubstanceVocabulary.parse(
                "# comment\n\nfentanyl, carfentanil\n", "test vocabulary"));
        assertEquals("test vocabulary line 3: expected term | family | spellings", e.getMessage());
    }
}
