package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Gsm7Test {
    @Test
    void frenchLettersInTheDefaultAlphabetKeep160AndOthersNeedUcs2With70() {
        assertTrue(Gsm7.encodable("élevé à l'hôpital".replace("ô", "o")));
        assertEquals(160, Gsm7.segmentLimit("déjà vu, où"));
        assertFalse(Gsm7.encodable("fenêtre"));
        assertEquals(70, Gsm7.segmentLimit("fenêtre"));
        assertEquals(7, Gsm7.length("fenêtre"));
    }

    @Test
    void extensionCharactersTakeTwoSeptets() {
        assertEquals(7, Gsm7.septets("[a]€"));
        assertTrue(Gsm7.fitsOneSegment("a".repeat(158) + "€"));
        assertFalse(Gsm7.fitsOneSegment("a".repeat(159) + "€"));
        assertFalse(Gsm7.fitsOneSegment("ê".repeat(71)));
        assertTrue(Gsm7.fitsOneSegment("ê".repeat(70)));
    }

    @Test
    void foldingKeepsGsmLettersAndDropsOtherAccents() {
        assertEquals("Cote, fenetre, ca, coeur, \"oui\" - l'ete", Gsm7.fold("Côte, fenêtre, ça, cœur, «oui» – l’ete"));
        assertEquals("élevé, où, à", Gsm7.fold("élevé, où, à"));
    }
}
