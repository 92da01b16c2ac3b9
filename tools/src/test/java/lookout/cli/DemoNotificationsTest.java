package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.geo.AreaIndex;
import lookout.testing.CliProcess;

/**
 * {@code ./lookout demo} in its own process tells its subscribers of the live day's spike: the demo's inbox (a
 * real SMTP server and webhook receiver) receives the opened alert's email for each subscriber, in their language,
 * and the webhook once, and the demo prints one line for each; stopped as Ctrl-C stops it, it leaves nothing in
 * the temp directory.
 */
@Timeout(300)
class DemoNotificationsTest {
    /** The area of the demo's live spike (DemoCommand). */
    private static final String SPIKE_AREA = "D12";

    @TempDir
    Path dir;

    @Test
    void theLiveSpikesAlertReachesEverySubscriberThroughTheDemoInboxAndCtrlCLeavesNothingBehind() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        String name = AreaIndex.demoCity().areas().stream().filter(a -> a.id().equals(SPIKE_AREA)).findFirst()
                .orElseThrow().name();
        // Named once the notifier has read the published snapshot; by id before (an alert can beat the first one).
        String area = "(" + Pattern.quote(name) + "|area " + SPIKE_AREA + ")";
        List<String> expected = List.of(
                "  inbox: email to Alex, outreach lead: Lookout alert: more paramedic calls for overdoses in " + area,
                "  inbox: webhook to Alex, outreach lead: More paramedic calls for overdoses than usual in " + area,
                "  inbox: email to Camille, équipe de proximité: Alerte Lookout : hausse à " + area);
        CliProcess demo = CliProcess.start(cwd, dir.resolve("logs"), tmp, Map.of(),
                "demo", "--seconds", "600", "--live-seconds", "1", "--port", "0");
        try {
            long deadline = System.nanoTime() + 200_000_000_000L;
            while (!allPrinted(demo.stdout(), expected)) {
                assertTrue(demo.isAlive(), "the demo ended early; stderr:\n" + demo.stderr());
                assertTrue(System.nanoTime() < deadline, "no message on the spike within 200 s:\n" + demo.stdout());
                Thread.sleep(500);
            }
            ProcessHandle.of(demo.pid()).orElseThrow().destroy();
            demo.waitFor(90);
            String out = demo.stdout();
            List<String> inbox = out.lines().filter(l -> l.startsWith("  inbox: ")).toList();
            Path feed = cwd.resolve("data/lookout.duckdb.notifier/feed");
            assertAll(
                    () -> assertEquals(1, inbox.stream().filter(l -> l.matches(expected.get(0))).count(), out),
                    () -> assertEquals(1, inbox.stream().filter(l -> l.matches(expected.get(1))).count(), out),
                    () -> assertEquals(1, inbox.stream().filter(l -> l.matches(expected.get(2))).count(), out),
                    () -> assertEquals(inbox.size(), inbox.stream().distinct().count(), "a message received twice: " + inbox),
                    () -> assertTrue(out.contains("lookout demo: stopped on Ctrl-C; "), out),
                    () -> assertFalse(out.contains("example.org"), "an address printed: " + out),
                    () -> assertEquals(List.of(), demo.stackTraceLines(), "no stack trace"),
                    () -> assertTrue(Files.readString(feed.resolve("alerts.atom")).contains(name)
                            || Files.readString(feed.resolve("alerts.atom")).contains("area " + SPIKE_AREA)),
                    () -> assertTrue(capFiles(feed) >= 1, "CAP messages in " + feed),
                    () -> assertEquals(List.of(), TempFilesTest.contents(tmp), "left in the temp directory"));
        } finally {
            demo.kill();
        }
    }

    private static boolean allPrinted(String out, List<String> patterns) {
        return patterns.stream().allMatch(p -> out.lines().anyMatch(l -> l.matches(p)));
    }

    private static long capFiles(Path feed) throws Exception {
        try (Stream<Path> files = Files.list(feed.resolve("cap"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".xml")).count();
        }
    }
}
