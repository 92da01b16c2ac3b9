package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Main;
import lookout.kernel.UsageException;

class NotifierConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAndTheTopicFromTheKernelsNaming() {
        NotifierConfig c = NotifierConfig.fromMap(Map.of("kafka.bootstrap", "127.0.0.1:9092",
                "subscriptions", "subs.json", "kafka.topic_prefix", "city", "dashboard.url", "https://lookout.example.org/"));
        assertEquals("city.alerts", c.alertsTopic());
        assertEquals("https://lookout.example.org/alerts", c.alertsPage());
        assertEquals("https://lookout.example.org/notifications", c.notificationsPage());
        assertEquals(5, c.retryAttempts());
        assertEquals(Duration.ofSeconds(1), c.retryBackoff());
        assertEquals(6, c.ratePerHour());
        assertEquals(Path.of("data/notifier"), c.store());
        assertEquals(null, c.snapshot());
        assertEquals(Duration.ofMinutes(3), c.snapshotWait());
    }

    @Test
    void readmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("maven.multiModuleProjectDirectory", ".."), "README.md"));
        NotifierConfig.KEYS.forEach((key, doc) -> {
            String expected = "| `" + key + "` | " + (doc[0].isEmpty() ? "(none)" : "`" + doc[0] + "`") + " | " + doc[1] + " |";
            assertTrue(readme.contains(expected), "README lacks " + expected);
        });
    }

    @Test
    void badValuesStopWithOneLine() {
        assertEquals("config: kafka.bootstrap is required", error(Map.of("subscriptions", "s.json")));
        assertEquals("config: retry.attempts = 'many' must be a whole number from 1 to 20",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "retry.attempts", "many")));
        assertEquals("config: dashboard.url = 'localhost' is not an http(s) URL",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "dashboard.url", "localhost")));
        assertEquals("config: zone = 'Mars/Base' is not a time zone such as America/Toronto",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "zone", "Mars/Base")));
        assertEquals("config: retry.backoff = '1s' is not an ISO-8601 duration such as PT1S",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "retry.backoff", "1s")));
        assertEquals("config: snapshot.wait = '3 minutes' is not an ISO-8601 duration such as PT1S",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "snapshot.wait", "3 minutes")));
        assertEquals("config: http.token is required when http.port is set (the subscriptions API hands out contact"
                + " details)", error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "http.port", "8090")));
        assertEquals("config: http.port = '80000' must be a whole number from 0 to 65535", error(Map.of("kafka.bootstrap",
                "h:1", "subscriptions", "s.json", "http.port", "80000", "http.token", "t".repeat(24))));
        assertEquals("config: sms.inbound_token must be at least 24 characters long",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "sms.inbound_token", "secret")));
        assertEquals("config: smtp.from = 'lookout at example.org' is not an email address such as"
                + " lookout@example.org", error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json",
                "smtp.from", "lookout at example.org")));
        assertEquals("config: retry.backoff = 'PT9999999999H' must be at most PT1H",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "retry.backoff", "PT9999999999H")));
        assertEquals(Duration.ofHours(1), NotifierConfig.fromMap(Map.of("kafka.bootstrap", "h:1", "subscriptions",
                "s.json", "retry.backoff", "PT1H")).retryBackoff());
        assertEquals("config: news.within = 'PT1H' must be at least PT3H: the job's time runs behind the clock, and"
                + " live alerts would go unsent", error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json",
                "news.within", "PT1H")));
        assertEquals(Duration.ofHours(3), NotifierConfig.fromMap(Map.of("kafka.bootstrap", "h:1", "subscriptions",
                "s.json", "news.within", "PT3H")).newsWithin());
        for (String key : List.of("news.within", "snapshot.wait")) {
            assertEquals("config: " + key + " = 'P999999999999D' must be at most P3652425D (10,000 years)",
                    error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", key, "P999999999999D")),
                    "an overflow of the clock's instant or milliseconds at start or at the first alert");
        }
        assertEquals(Duration.ofDays(3_652_425), NotifierConfig.fromMap(Map.of("kafka.bootstrap", "h:1",
                "subscriptions", "s.json", "news.within", "P3652425D")).newsWithin());
        assertEquals("config: operator.email: 'not an address' is not an email address such as ops@example.org",
                error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json", "operator.email",
                        "ops@example.org, not an address")));
        assertEquals(List.of("ops@example.org", "oncall@example.org"), NotifierConfig.fromMap(Map.of("kafka.bootstrap",
                "h:1", "subscriptions", "s.json", "operator.email", "ops@example.org, oncall@example.org"))
                .operator().emails());
        assertEquals("config: kafka.topic_prefix = 'bad prefix!' must be 1 to 235 letters, digits, '.', '_' or '-'"
                + " (Kafka's topic names)", error(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json",
                "kafka.topic_prefix", "bad prefix!")));
        NotifierConfig off = NotifierConfig.fromMap(Map.of("kafka.bootstrap", "h:1", "subscriptions", "s.json"));
        assertEquals(null, off.httpPort(), "no HTTP server unless asked for");
        assertEquals("http://localhost:8080/", off.mapPage());
    }

    private static String error(Map<String, String> values) {
        return assertThrows(UsageException.class, () -> NotifierConfig.fromMap(values)).getMessage();
    }

    @Test
    void theCommandReportsABadConfigInOneLineWithExitTwo() throws Exception {
        Path config = Files.writeString(dir.resolve("notifier.properties"), "kafka.bootstrap=h:1\nsmtp.hots=mail\n");
        assertEquals("lookout notify: config file " + config + ": unknown key 'smtp.hots' (known keys: "
                + String.join(", ", NotifierConfig.KEYS.keySet()) + ")\n", runFails(2, "notify", "--config", config.toString()));
        assertEquals("lookout notify: --config " + dir.resolve("none.properties") + " does not exist\n",
                runFails(2, "notify", "--config", dir.resolve("none.properties").toString()));
        Path noSubscribers = Files.writeString(dir.resolve("n.properties"),
                "kafka.bootstrap=127.0.0.1:9\nsubscriptions=" + dir.resolve("absent.json") + "\nstore="
                        + dir.resolve("store") + "\n");
        assertEquals("lookout notify: subscriptions file " + dir.resolve("absent.json") + " does not exist\n",
                runFails(2, "notify", "--config", noSubscribers.toString()));
    }

    /** The feeds are first written when an alert comes: an unwritable directory ended the notifier then. */
    @Test
    void anUnwritableFeedDirIsOneLineAtStart() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        Path subscribers = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": []}");
        Path config = Files.writeString(dir.resolve("notifier.properties"), "kafka.bootstrap=127.0.0.1:9\n"
                + "subscriptions=" + subscribers + "\nstore=" + dir.resolve("store") + "\nfeed.dir="
                + file.resolve("feed") + "\n");
        assertEquals("lookout notify: config: feed.dir = '" + file.resolve("feed") + "' cannot be created or written\n",
                runFails(2, "notify", "--config", config.toString()));
    }

    private static String runFails(int code, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(code, exit, err.toString(StandardCharsets.UTF_8));
        return err.toString(StandardCharsets.UTF_8);
    }
}
