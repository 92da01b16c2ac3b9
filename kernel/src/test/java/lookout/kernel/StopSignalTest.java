package lookout.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link StopSignal} in a JVM of its own, which the test stops with SIGTERM as {@code kill} or a supervisor does. */
@Timeout(60)
class StopSignalTest {
    /**
     * The child JVM: installs the handlers, says in a shutdown hook how it stopped, and runs an action that waits for
     * a line on stdin, during which the test sends the signal.
     */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            StopSignal.install();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                System.out.println("hook: " + StopSignal.stopped());
                System.out.println("hook: an action " + (StopSignal.unlessStopping(() -> { }) ? "ran" : "did not run"));
            }));
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            StopSignal.unlessStopping(() -> {
                System.out.println("action begun");
                in.readLine();
                System.out.println("action ended");
            });
            Thread.sleep(60_000);
        }
    }

    @Test
    void theHooksSaySigtermAfterAnActionUnderWayHasEndedAndTheJvmExitsAsItsOwnHandlerWould() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Child.class.getName())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            lines.add(out.readLine());
            assertEquals("action begun", lines.get(0));
            child.toHandle().destroy();
            // The signal waits for the action; a hook that ran now would print before the action's end.
            Thread.sleep(500);
            try (OutputStream in = child.getOutputStream()) {
                in.write("go on\n".getBytes(StandardCharsets.UTF_8));
            }
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                lines.add(line);
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "still running: " + lines);
            assertEquals(List.of("action begun", "action ended", "hook: stopped on SIGTERM",
                    "hook: an action did not run"), lines);
            assertEquals(143, child.exitValue(), "128 + SIGTERM's 15, as the JVM's own handler exits");
        } finally {
            child.destroyForcibly();
        }
    }
}
