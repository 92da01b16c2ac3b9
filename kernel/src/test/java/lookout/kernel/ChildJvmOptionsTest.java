package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChildJvmOptionsTest {
    private final String before = System.getProperty(ChildJvmOptions.PROPERTY);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(ChildJvmOptions.PROPERTY);
        } else {
            System.setProperty(ChildJvmOptions.PROPERTY, before);
        }
    }

    @Test
    void optionsAreSplitOnWhitespaceInOrder() {
        System.setProperty(ChildJvmOptions.PROPERTY, "  -XX:TieredStopAtLevel=1 \t -Xss2m ");
        assertEquals(List.of("-XX:TieredStopAtLevel=1", "-Xss2m"), ChildJvmOptions.extra());
    }

    @Test
    void unsetOrBlankGivesNone() {
        System.clearProperty(ChildJvmOptions.PROPERTY);
        assertEquals(List.of(), ChildJvmOptions.extra());
        System.setProperty(ChildJvmOptions.PROPERTY, "   ");
        assertEquals(List.of(), ChildJvmOptions.extra());
    }
}
