package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SeverityTest {
    @Test
    void codesAreTheLowerCaseNamesAndFindTheirSeverityBack() {
        assertEquals(List.of("low", "moderate", "high", "critical"),
                List.of(Severity.values()).stream().map(Severity::code).toList());
        for (Severity s : Severity.values()) {
            assertEquals(Optional.of(s), Severity.fromCode(s.code()));
        }
    }

    @Test
    void anythingElseIsNoSeverity() {
        assertEquals(Optional.empty(), Severity.fromCode("HIGH"));
        assertEquals(Optional.empty(), Severity.fromCode("severe"));
        assertEquals(Optional.empty(), Severity.fromCode(null));
    }
}
