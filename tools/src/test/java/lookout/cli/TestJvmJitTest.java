package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The test JVMs compile with C2 at the launcher's thresholds (pom.xml's surefire {@code argLine}), so the tests run
 * the code as users' commands do; the two lists are written twice, in the launcher and the pom, and kept equal here.
 */
class TestJvmJitTest {
    private static final Path ROOT = Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."));

    @Test
    void theTestJvmRunsWithTheLaunchersJitThresholds() throws IOException {
        Matcher jit = Pattern.compile("(?m)^jit=\"([^\"]+)\"$").matcher(Files.readString(ROOT.resolve("lookout")));
        assertTrue(jit.find(), "the launcher sets its JIT thresholds in a line jit=\"...\"");
        List<String> flags = List.of(jit.group(1).split(" "));
        assertEquals(4, flags.size(), flags.toString());
        List<String> arguments = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertTrue(arguments.containsAll(flags), "the test JVM's arguments " + arguments + " lack some of " + flags);
    }
}
