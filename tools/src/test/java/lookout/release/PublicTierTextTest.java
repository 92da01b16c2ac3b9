package lookout.release;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

class PublicTierTextTest {
    /** The row follows {@code Signal.publicSignals()}: a newly published signal is described without a change here. */
    @Test
    void theDataDictionaryDescribesEveryPublicSignalInFileOrder() {
        String dictionary = PublicTierText.dataDictionary(5, ZoneId.of("America/Toronto"), LocalDate.of(2026, 3, 1),
                List.of(), List.of());
        assertTrue(dictionary.contains("\n| signal | text | `paramedic` (overdose calls attended by paramedics),"
                + " `coroner` (suspected overdose deaths reported by the coroner or medical examiner), `naloxone`"
                + " (naloxone administrations reported by distribution programs), `drug_checking` (samples checked by"
                + " drug-checking services) |\n"), dictionary);
    }
}
