package lookout.cli;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import lookout.testing.CliProcess;
import lookout.testing.Db;

/**
 * {@code ./lookout demo} in its own process tells its subscribers of the alerts its job opens: the demo's inbox (a
 * real SMTP server and webhook receiver) receives an opened alert's email for each subscriber, in their language,
 * and its webhook, and the demo prints one line for each message and none twice; stopped as Ctrl-C stops it, it
 * leaves nothing in the temp directory. It sends no report dated after now, so the recent weeks' coroner counts fall
 * short of their nowcast. Its dashboards serve the notifier's public Atom feed.
 */
@Timeout(300)
class DemoNotificationsTest {
    private static final Pattern LEAD_EMAIL = Pattern.compile(
            "  inbox: email to Alex, outreach lead: Lookout (?:low|moderate|high|critical) alert in (.+): more .+");
    private static final String LEAD_WEBHOOK = "  inbox: webhook to Alex, outreach lead: More .+ than usual in ";
    private static final String PEER_SMS = "  inbox: sms to Sam, peer worker: Lookout (?:low|moderate|high|critical)"
            + " alert: .+";
    private static final Pattern FEED_LINE = Pattern.compile(
            "\n  public CAP 1\\.2 and Atom feeds of the alerts: (http://\\S+/feeds/alerts\\.atom) \\(files in ");
    private static final String FRENCH_EMAIL = "  inbox: email to Camille, équipe de proximité: Alerte Lookout de"
            + " niveau (?:faible|modéré|élevé|critique) à ";

    @TempDir
    Path dir;

    @Test
    void anOpenedAlertReachesEverySubscriberThroughTheDemoInboxOnceAndCtrlCLeavesNothingBehind() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        CliProcess demo = CliProcess.start(cwd, dir.resolve("logs"), tmp, Map.of(),
                "demo", "--seconds", "600", "--live-seconds", "1", "--port", "0");
        try {
            long deadline = System.nanoTime() + 200_000_000_000L;
            // Which alerts open varies with the day the demo is run on and with timing; every demo opens several.
            Path db = cwd.resolve("data/lookout.duckdb");
            while (toldEveryone(demo.stdout()).isEmpty() || coronerWeeksStillToRise(db) == 0) {
                assertTrue(demo.isAlive(), "the demo ended early; stderr:\n" + demo.stderr());
                assertTrue(System.nanoTime() < deadline, "no alert reached every subscriber, or no coroner nowcast rose"
                        + " above its count, within 200 s:\n" + demo.stdout());
                Thread.sleep(500);
            }
            Matcher feedLine = FEED_LINE.matcher(demo.stdout());
            assertTrue(feedLine.find(), demo.stdout());
            HttpResponse<String> served = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(feedLine.group(1))).build(), HttpResponse.BodyHandlers.ofString());
            ProcessHandle.of(demo.pid()).orElseThrow().destroy();
            demo.waitFor(90);
            String out = demo.stdout();
            List<String> inbox = out.lines().filter(l -> l.startsWith("  inbox: ")).toList();
            Path notifier = cwd.resolve("data/lookout.duckdb.notifier");
            List<String> delivered = Files.readAllLines(notifier.resolve("store/deliveries.ndjson")).stream()
                    .filter(l -> l.contains("\"outcome\":\"delivered\"")).toList();
            String atom = Files.readString(notifier.resolve("feed/alerts.atom"));
            assertAll(
                    () -> assertEquals(delivered.size(), inbox.size(), "one line per message delivered: " + inbox),
                    () -> assertEquals(delivered.size(), delivered.stream().map(DemoNotificationsTest::key).distinct()
                            .count(), "a message delivered twice: " + delivered),
                    // The public feeds carry only alerts of at least k events, which the first alerts may not be.
                    () -> assertEquals(atom.split("<entry>", -1).length - 1, capFiles(notifier.resolve("feed")),
                            "one Atom entry per CAP message: " + atom),
                    () -> assertEquals(200, served.statusCode(), "the dashboards serve the notifier's Atom feed"),
                    () -> assertTrue(served.body().contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
                            served.body()),
                    // destroy() sends SIGTERM, as a supervisor or `kill` does: the demo says so, not Ctrl-C.
                    () -> assertTrue(out.contains("lookout demo: stopped on SIGTERM; "), out),
                    () -> assertEquals(0, Db.count(db, "SELECT count(*) FROM dead_letters"
                            + " WHERE reason = 'reported_in_future'"), "a report dated after now, which the job's"
                            + " default 15-minute skew refuses, sent"),
                    () -> assertFalse(out.contains("example.org"), "an address printed: " + out),
                    () -> assertEquals(List.of(), demo.stackTraceLines(), "no stack trace"),
                    () -> assertEquals(List.of(), demo.stderr().lines()
                            .filter(l -> l.matches("\\d\\d:\\d\\d:\\d\\d ERROR .*")).toList(), "no error logged on the way down"),
                    () -> assertEquals(List.of(), TempFilesTest.contents(tmp), "left in the temp directory"));
        } finally {
            demo.kill();
        }
    }

    /**
     * An area whose opened alert the lead got by email and webhook, the French team by email and the peer worker by
     * SMS, if any.
     */
    private static Optional<String> toldEveryone(String out) {
        List<String> lines = out.lines().toList();
        return lines.stream().map(LEAD_EMAIL::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .filter(a -> lines.stream().anyMatch(l -> l.matches(LEAD_WEBHOOK + Pattern.quote(a)))
                        && lines.stream().anyMatch(l -> l.matches(FRENCH_EMAIL + Pattern.quote(a)
                                + " : hausse des .+"))
                        && lines.stream().anyMatch(l -> l.matches(PEER_SMS) && l.contains(" in " + a + " (")))
                .findFirst();
    }

    private static String key(String deliveryLine) {
        Matcher m = Pattern.compile("\"key\":\"([^\"]+)\"").matcher(deliveryLine);
        return m.find() ? m.group(1) : deliveryLine;
    }

    private static long capFiles(Path feed) throws Exception {
        if (!Files.isDirectory(feed.resolve("cap"))) {
            return 0;
        }
        try (Stream<Path> files = Files.list(feed.resolve("cap"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".xml")).count();
        }
    }

    /**
     * The published weeks whose coroner count the nowcast expects to rise, as the reports held back come in; 0 while
     * the file is not yet published.
     */
    private static long coronerWeeksStillToRise(Path db) throws Exception {
        return Files.exists(db) ? Db.count(db, "SELECT count(*) FROM nowcasts WHERE signal = 'coroner'"
                + " AND granularity = 'week' AND expected > reported") : 0;
    }
}
