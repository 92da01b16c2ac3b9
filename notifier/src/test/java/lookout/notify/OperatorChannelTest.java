package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.mail.internet.MimeMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import lookout.schema.FeedHealth;

/** The operator channel against real loopback servers: GreenMail's SMTP and the JDK's HTTP server. */
class OperatorChannelTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SINCE = 1_772_000_000_000L;

    @TempDir
    Path store;

    private static FeedHealth silent(Long until) {
        return FeedHealth.newBuilder().setEpisodeId("paramedic-silent-" + SINCE).setSource("paramedic")
                .setStatus("silent").setSince(SINCE).setUntil(until).setUpdatedAt(SINCE + 3 * 3_600_000L)
                .setSecondsSinceLastRecord(3 * 3600.0).setUsualGapSeconds(600.0).setDeadLetterShare(0.0)
                .setReportDelaySeconds(120.0).build();
    }

    private NotifierConfig config(Receiver webhook, String language) {
        return NotifierConfig.fromMap(Map.of("kafka.bootstrap", "127.0.0.1:9092", "subscriptions", "unused.json",
                "store", store.toString(), "smtp.host", "127.0.0.1", "smtp.port",
                Integer.toString(MAIL.getSmtp().getPort()), "operator.email", "ops@example.org, oncall@example.org",
                "operator.webhook", webhook.url("/ops"), "operator.language", language));
    }

    @Test
    void theWordsOfASilenceAndItsAllClearInEnglishAndFrench() {
        assertEquals(new FeedNotices.Notice("Lookout: Paramedic feed silent",
                "Paramedic feed silent for 3 hours; usually a record every 10 minutes. Until it resumes, its counts on"
                        + " the dashboards are marked \"data incomplete\"."), FeedNotices.compose(silent(null), "en"));
        assertEquals(new FeedNotices.Notice("Lookout: Paramedic feed back",
                "All-clear: the Paramedic feed has resumed after 4 hours of silence."),
                FeedNotices.compose(silent(SINCE + 4 * 3_600_000L), "en"));
        assertEquals("Flux paramédics silencieux depuis 3 heures ; d'habitude un enregistrement toutes les 10 minutes."
                + " D'ici sa reprise, ses comptes sont marqués « données incomplètes » dans les tableaux de bord.",
                FeedNotices.compose(silent(null), "fr").text());
        FeedHealth bad = FeedHealth.newBuilder(silent(null)).setStatus("bad").setDeadLetterShare(0.746)
                .setUsualGapSeconds(60.0).build();
        assertEquals("Paramedic feed: 75% of its recent records were refused (dead letters).",
                FeedNotices.compose(bad, "en").text());
        FeedHealth short_ = FeedHealth.newBuilder(silent(null)).setSecondsSinceLastRecord(7.4).setUsualGapSeconds(60.0)
                .build();
        assertEquals("Paramedic feed silent for 7 seconds; usually a record every minute. Until it resumes, its counts"
                + " on the dashboards are marked \"data incomplete\".", FeedNotices.compose(short_, "en").text());
    }

    @Test
    void eachStepReachesEveryChannelOnceEvenAfterARestart() throws Exception {
        try (Receiver webhook = new Receiver()) {
            NotifierConfig config = config(webhook, "en");
            try (OperatorChannel channel = OperatorChannel.open(config, Clock.systemUTC(), Assertions::fail)) {
                assertEquals(List.of("paramedic-silent-" + SINCE + "|opened|operator/email1 delivered",
                        "paramedic-silent-" + SINCE + "|opened|operator/email2 delivered",
                        "paramedic-silent-" + SINCE + "|opened|operator/webhook delivered"), channel.take(silent(null)));
                channel.take(silent(null));
            }
            try (OperatorChannel reopened = OperatorChannel.open(config, Clock.systemUTC(), Assertions::fail)) {
                assertEquals(List.of("paramedic-silent-" + SINCE + "|opened|operator/email1 already",
                        "paramedic-silent-" + SINCE + "|opened|operator/email2 already",
                        "paramedic-silent-" + SINCE + "|opened|operator/webhook already"), reopened.take(silent(null)),
                        "a replayed topic after a restart sends nothing again");
                reopened.take(silent(SINCE + 4 * 3_600_000L));
            }
            MimeMessage[] mails = MAIL.getReceivedMessages();
            assertEquals(4, mails.length, "two addresses, each told of the silence and of the all-clear once");
            assertEquals("Lookout: Paramedic feed silent", mails[0].getSubject());
            assertEquals("Lookout: Paramedic feed back", mails[3].getSubject());
            assertEquals(2, webhook.requests().size());
            JsonNode first = JSON.readTree(webhook.requests().get(0).body());
            assertEquals("paramedic", first.path("source").asText());
            assertEquals("silent", first.path("status").asText());
            assertEquals("2026-02-25T06:13:20Z", first.path("since").asText());
            assertEquals(true, first.path("until").isNull());
            assertEquals("2026-02-25T10:13:20Z", JSON.readTree(webhook.requests().get(1).body()).path("until").asText());
            String log = Files.readString(store.resolve("operator.ndjson"));
            assertEquals(6, log.lines().count());
            assertFalse(log.contains("example.org") || log.contains("127.0.0.1"), "the log names channels, not addresses");
            assertFalse(GreenMailUtil.getBody(mails[0]).isEmpty());
        }
    }

    @Test
    void aStepLoggedAfterATornLineIsStillKnownAfterTheNextRestart() throws Exception {
        Files.writeString(store.resolve("operator.ndjson"), "{\"key\":\"paramedic-silent-1|opened|operator/web");
        try (Receiver webhook = new Receiver()) {
            NotifierConfig config = webhookOnly(webhook, "PT1S");
            try (OperatorChannel channel = OperatorChannel.open(config, Clock.systemUTC(), Assertions::fail)) {
                channel.take(silent(null));
            }
            try (OperatorChannel reopened = OperatorChannel.open(config, Clock.systemUTC(), Assertions::fail)) {
                assertEquals(List.of("paramedic-silent-" + SINCE + "|opened|operator/webhook already"),
                        reopened.take(silent(null)));
            }
            assertEquals(1, webhook.requests().size());
        }
    }

    /**
     * Lines damaged in the middle of the log (the opened step's, its comma lost; bytes that are not UTF-8) are
     * passed over with one warning, the line after them read; that step's notice is sent again, the safe way to
     * lose a line. The torn last line a crash leaves is not counted. Bytes not UTF-8 used to stop the start.
     */
    @Test
    void damagedLinesInTheMiddleAreToldOnceAndTheirNoticeSentAgain() throws Exception {
        String key = "paramedic-silent-" + SINCE + "|%s|operator/webhook";
        Path log = store.resolve("operator.ndjson");
        Files.writeString(log, "{\"key\":\"" + key.formatted("opened") + "\" \"outcome\":\"delivered\","
                + "\"attempts\":1}\n");
        Files.write(log, new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}', '\n'}, StandardOpenOption.APPEND);
        Files.writeString(log, "{\"key\":\"" + key.formatted("ended") + "\",\"outcome\":\"delivered\","
                + "\"attempts\":1}\n{\"key\":\"paramedic-bad-1|op", StandardOpenOption.APPEND);
        List<String> warnings = new ArrayList<>();
        try (Receiver webhook = new Receiver();
                OperatorChannel channel = OperatorChannel.open(webhookOnly(webhook, "PT1S"), Clock.systemUTC(),
                        warnings::add)) {
            assertEquals(List.of("passed over 2 lines of " + log + " that are not records (damaged, edited by hand or"
                    + " written by a later build)"), warnings);
            assertEquals(List.of(key.formatted("opened") + " delivered"), channel.take(silent(null)));
            assertEquals(List.of(key.formatted("ended") + " already"), channel.take(silent(SINCE + 3_600_000L)));
            assertEquals(1, webhook.requests().size());
            assertTrue(JSON.readTree(webhook.requests().get(0).body()).path("until").isNull());
        }
    }

    /**
     * JSON that is no line of the log: not an object, no key, an outcome this build does not know (a later build's,
     * after a rollback), a waiting retry whose episode cannot be read. Each is passed over and counted, and none
     * counts as an outcome: a key whose only line is one is told, where an unknown outcome used to silence it.
     */
    @Test
    void jsonThatIsNoRecordIsCountedAndSilencesNoNotice() throws Exception {
        String key = "paramedic-silent-" + SINCE + "|%s|operator/webhook";
        Files.writeString(store.resolve("operator.ndjson"), "123\n{\"outcome\":\"delivered\"}\n{\"key\":\""
                + key.formatted("opened") + "\",\"outcome\":\"bounced\",\"attempts\":1}\n{\"key\":\""
                + key.formatted("ended") + "\",\"outcome\":\"retrying\",\"attempts\":1,"
                + "\"episode\":\"bm90IGF2cm8=\"}\n");
        List<String> warnings = new ArrayList<>();
        try (Receiver webhook = new Receiver()) {
            try (OperatorChannel channel = OperatorChannel.open(webhookOnly(webhook, "PT0.05S"), Clock.systemUTC(),
                    warnings::add)) {
                assertEquals(List.of(key.formatted("opened") + " delivered"), channel.take(silent(null)));
                assertEquals(List.of(key.formatted("ended") + " delivered"), channel.take(silent(SINCE + 3_600_000L)));
            }
            assertEquals(2, webhook.requests().size(), "each step told once; the retry that cannot be read is not");
            try (OperatorChannel reopened = OperatorChannel.open(webhookOnly(webhook, "PT0.05S"), Clock.systemUTC(),
                    warnings::add)) {
                assertEquals(List.of(key.formatted("opened") + " already"), reopened.take(silent(null)));
            }
        }
        String told = "passed over 4 lines of " + store.resolve("operator.ndjson") + " that are not records (damaged,"
                + " edited by hand or written by a later build)";
        assertEquals(List.of(told, told), warnings, "told at each start, the lines logged after them read");
    }

    /**
     * A receiver that fails is retried on a thread of the channel's own: telling returns after the first attempt,
     * even with a backoff of an hour, so the poll never waits past Kafka's poll interval.
     */
    @Test
    void aFailedAttemptIsRetriedInTheBackgroundAndTellingNeverWaitsForTheBackoff() throws Exception {
        String key = "paramedic-silent-" + SINCE + "|opened|operator/webhook";
        try (Receiver webhook = new Receiver(1, 503);
                OperatorChannel channel = OperatorChannel.open(webhookOnly(webhook, "PT0.05S"), Clock.systemUTC(),
                        Assertions::fail)) {
            assertEquals(List.of(key + " retrying http_503"),
                    assertTimeoutPreemptively(Duration.ofSeconds(5), () -> channel.take(silent(null))));
            awaitRequests(webhook, 2);
            assertEquals(List.of(key + " already"), channel.take(silent(null)));
            assertEquals(List.of("retrying:http_503:1", "delivered:null:2"), outcomes());
        }
    }

    /** The topic's offsets are committed when telling returns: a retry still waiting at a stop is resumed. */
    @Test
    void aRetryWaitingWhenTheNotifierStopsIsResumedAtTheNextStart() throws Exception {
        String key = "paramedic-silent-" + SINCE + "|opened|operator/webhook";
        try (Receiver webhook = new Receiver(1, 503)) {
            try (OperatorChannel channel = OperatorChannel.open(webhookOnly(webhook, "PT1H"), Clock.systemUTC(),
                    Assertions::fail)) {
                assertEquals(List.of(key + " retrying http_503"),
                        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> channel.take(silent(null))));
                assertEquals(List.of(key + " retrying"), channel.take(silent(null)),
                        "a replay while the retry waits sends nothing");
            }
            assertEquals(1, webhook.requests().size());
            try (OperatorChannel restarted = OperatorChannel.open(webhookOnly(webhook, "PT0.05S"), Clock.systemUTC(),
                    Assertions::fail)) {
                awaitRequests(webhook, 2);
            }
            assertEquals(webhook.requests().get(0).body(), webhook.requests().get(1).body());
            assertEquals(List.of("retrying:http_503:1", "delivered:null:2"), outcomes());
        }
    }

    /** Waits, at most 5 s, for the receiver to have {@code n} requests and their outcome to be logged. */
    private void awaitRequests(Receiver webhook, int n) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((webhook.requests().size() < n || outcomes().size() < n) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    private List<String> outcomes() throws Exception {
        List<String> outcomes = new ArrayList<>();
        for (String line : Files.readAllLines(store.resolve("operator.ndjson"))) {
            JsonNode o = JSON.readTree(line);
            outcomes.add(o.path("outcome").asText() + ":" + o.path("reason").asText(null) + ":"
                    + o.path("attempts").asInt());
        }
        return outcomes;
    }

    private NotifierConfig webhookOnly(Receiver webhook, String backoff) {
        return NotifierConfig.fromMap(Map.of("kafka.bootstrap", "127.0.0.1:9092", "subscriptions", "unused.json",
                "store", store.toString(), "operator.webhook", webhook.url("/ops"), "retry.backoff", backoff));
    }
}
