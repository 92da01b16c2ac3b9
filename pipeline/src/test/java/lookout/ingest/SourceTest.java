package lookout.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import lookout.kernel.Signal;

class SourceTest {
    @Test
    void theSourcesAreTheSignalsSourcesInTheirOrder() {
        assertEquals(Signal.sources(), Arrays.stream(Source.values()).map(Source::signal).toList());
        assertEquals(Optional.of(Source.DRUG_CHECKING), Source.fromCode("drug_checking"));
        assertEquals(Optional.empty(), Source.fromCode("combined"), "a derived signal is no source");
    }
}
