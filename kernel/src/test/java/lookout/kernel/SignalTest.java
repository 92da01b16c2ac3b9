package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class SignalTest {
    @Test
    void theFourSourcesArePublicAndCombinedIsNeither() {
        assertEquals(List.of("paramedic", "coroner", "naloxone", "drug_checking"),
                Signal.sources().stream().map(Signal::code).toList());
        assertEquals(Signal.sources(), Signal.publicSignals());
        assertEquals("combined", Signal.COMBINED.code());
        assertFalse(Signal.COMBINED.isSource());
        assertFalse(Signal.COMBINED.isPublic());
    }

    @Test
    void aSourceIsCountedFromItselfAndCombinedFromParamedicAndNaloxone() {
        assertEquals(List.of(Signal.CORONER), Signal.CORONER.countedFrom());
        assertEquals(List.of(Signal.PARAMEDIC, Signal.NALOXONE), Signal.COMBINED.countedFrom());
        assertTrue(Signal.COMBINED.isCountedFrom("naloxone"));
        assertFalse(Signal.COMBINED.isCountedFrom("coroner"));
        assertFalse(Signal.COMBINED.isCountedFrom("combined"));
        assertTrue(Signal.DRUG_CHECKING.isCountedFrom("drug_checking"));
        assertFalse(Signal.DRUG_CHECKING.isCountedFrom(null));
    }

    /** The README says which feeds {@code combined} counts, which a source added to it here alone would leave stale. */
    @Test
    void theReadmeNamesTheSourcesCombinedIsCountedFrom() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."),
                "README.md")).replaceAll("\\s+", " ");
        String from = Signal.COMBINED.countedFrom().stream().map(Signal::code).collect(Collectors.joining(" and "));
        assertTrue(readme.contains("Signals are the sources plus `combined` (" + from + ", "),
                "README.md should say: Signals are the sources plus `combined` (" + from + ", ...");
    }

    @Test
    void codesAreReadExactly() {
        assertEquals(Optional.of(Signal.DRUG_CHECKING), Signal.fromCode("drug_checking"));
        assertEquals(Optional.of(Signal.COMBINED), Signal.fromCode("combined"));
        assertEquals(Optional.empty(), Signal.fromCode("Paramedic"));
        assertEquals(Optional.empty(), Signal.fromCode("multi"));
        assertEquals(Optional.empty(), Signal.fromCode(null));
        assertTrue(Signal.NALOXONE.is("naloxone"));
        assertFalse(Signal.NALOXONE.is(null));
    }

    @Test
    void kIsFive() {
        assertEquals(5, Disclosure.K);
    }
}
