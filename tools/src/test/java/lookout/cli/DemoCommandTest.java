package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.testing.CliProcess;
import lookout.testing.FlinkRest;
import lookout.testing.ListeningSockets;

/** {@code ./lookout demo} in its own process, as a user starts it in a directory that holds other things. */
@Timeout(400)
class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void keepsToItsOwnFilesListensOnLoopbackOnlyAndFailsWhenItsJobIsCancelledFromOutside() throws Exception {
        assumeTrue(ListeningSockets.supported(), "skipped: needs Linux's /proc to list the process's sockets");
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Path precious = Files.writeString(Files.createDirectories(cwd.resolve("data/checkpoints")).resolve("notes.txt"),
                "not the demo's\n");
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        CliProcess demo = CliProcess.start(cwd, dir.resolve("logs"), tmp, Map.of(),
                "demo", "--seconds", "600", "--live-seconds", "1");
        try {
            RunningJob job = RunningJob.await(demo, 240);
            assertAll(
                    () -> assertEquals(List.of(), job.sockets().stream().filter(s -> !s.loopback()).toList(),
                            "sockets listening beyond loopback"),
                    () -> assertEquals("not the demo's\n", Files.exists(precious) ? Files.readString(precious) : "(deleted)"));

            assertEquals(202, FlinkRest.cancel(job.restPort(), job.id()));
            int code = demo.waitFor(90);
            assertAll(
                    () -> assertEquals(1, code),
                    () -> assertEquals(List.of("lookout demo: the Flink job " + job.id() + " was cancelled from outside this"
                            + " command (e.g. through Flink's REST API)"), demo.commandErrors("demo")),
                    () -> assertEquals(List.of(), demo.stackTraceLines(), "no stack trace"),
                    () -> assertEquals("not the demo's\n", Files.readString(precious)),
                    () -> assertEquals(List.of(), TempFilesTest.contents(tmp), "left in the temp directory"));
        } finally {
            demo.kill();
        }
    }

    /** A job found through the REST API of a command's local cluster, and the sockets the command listens on. */
    record RunningJob(int restPort, String id, List<ListeningSockets.Socket> sockets) {
        static RunningJob await(CliProcess command, long seconds) throws Exception {
            long deadline = System.nanoTime() + seconds * 1_000_000_000L;
            while (System.nanoTime() < deadline) {
                if (!command.isAlive()) {
                    throw new AssertionError("ended before its job ran; stderr:\n" + command.stderr());
                }
                List<ListeningSockets.Socket> sockets = ListeningSockets.of(command.pid());
                var port = ListeningSockets.flinkRest(sockets);
                if (port.isPresent()) {
                    var id = FlinkRest.runningJob(port.get());
                    if (id.isPresent()) {
                        return new RunningJob(port.get(), id.get(), ListeningSockets.of(command.pid()));
                    }
                }
                Thread.sleep(500);
            }
            throw new AssertionError("no running job within " + seconds + " s; stderr:\n" + command.stderr());
        }
    }
}
