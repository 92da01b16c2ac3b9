package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daily digest with a clock the test moves, to a real SMTP server (GreenMail) and a real webhook receiver:
 * Moss Park's spike opens, worsens and closes on Tuesday 3 November 2026 (Toronto); the digest is due at 08:00.
 */
class DigestTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Noon in Toronto on Tuesday 3 November. */
    private static final Instant TUESDAY_NOON = Instant.parse("2026-11-03T17:00:00Z");
    /** 8 am in Toronto on Wednesday 4 November. */
    private static final Instant WEDNESDAY_8AM = Instant.parse("2026-11-04T13:00:00Z");

    @TempDir
    Path dir;

    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final DispatcherTest.MovableClock clock = new DispatcherTest.MovableClock(TUESDAY_NOON);
    private final List<AlertStep> steps = new ArrayList<>();
    private NotifierStore store;

    @AfterEach
    void close() {
        pool.shutdownNow();
        if (store != null) {
            store.close();
        }
    }

    /** A dispatcher over a freshly opened store, as after a restart. */
    private Dispatcher dispatcher(String subscriber) throws Exception {
        return dispatcher(subscriber, null);
    }

    /** @param managed the store's subscribers after the file's, or null for the file's alone */
    private Dispatcher dispatcher(String subscriber, ManagedSubscribers managed) throws Exception {
        Path file = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": [" + subscriber + "]}");
        if (store != null) {
            store.close();
        }
        store = NotifierStore.open(dir.resolve("store"), Assertions::fail);
        Messages messages = Steps.messages();
        Map<Channel.Kind, Sender> senders = Map.of(
                Channel.Kind.EMAIL, new EmailSender("127.0.0.1", MAIL.getSmtp().getPort(), "lookout@example.org", "", "",
                        messages, managed == null ? id -> false : managed::keptByAccount),
                Channel.Kind.WEBHOOK, new WebhookSender(messages, Steps.NAMES));
        return new Dispatcher(Subscriptions.open(file, managed), store, messages, Steps.NAMES, senders, pool, clock,
                Steps.TORONTO, 5, Duration.ofMillis(20), 6, AreaNeighbours.NONE, NotifierConfig.DEFAULT_DIGEST_TIME);
    }

    private void take(Dispatcher d, AlertStep step) {
        d.dispatch(step);
        store.addStep(step);
        steps.add(step);
    }

    /** Tuesday's spike: opened at noon, worsened at 2 pm, closed at 6 pm. */
    private void tuesdaysSpike(Dispatcher d) {
        take(d, Steps.opened("s1"));
        clock.advance(Duration.ofHours(2));
        take(d, Steps.worsened("s1"));
        clock.advance(Duration.ofHours(4));
        take(d, Steps.closed("s1"));
    }

    private void at(Instant t) {
        clock.advance(Duration.between(clock.instant(), t));
    }

    private List<String> outcomes() {
        return store.log().stream().map(d -> d.key() + ":" + d.outcome().code()
                + (d.reason() == null ? "" : ":" + d.reason())).toList();
    }

    private static final String EMAIL_DIGEST = "{\"id\": \"night-desk\", \"name\": \"Night desk\", \"channels\":"
            + " [{\"email\": \"desk@example.org\"}], \"areas\": [\"073\"], \"immediate\": false}";

    @Test
    void oneDigestEmailADayListsTheDaysChangesInTheirOwnWordsNoneOnAQuietDayAndNoneTwiceAfterARestart() throws Exception {
        Dispatcher d = dispatcher(EMAIL_DIGEST);
        tuesdaysSpike(d);
        d.sendDigests();
        at(WEDNESDAY_8AM.minusSeconds(1));
        d.sendDigests();
        assertEquals(0, MAIL.getReceivedMessages().length, "nothing before the digest time");

        at(WEDNESDAY_8AM);
        d.sendDigests();
        d.sendDigests();
        MimeMessage[] received = MAIL.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("Lookout daily digest: 3 alert changes in your areas", received[0].getSubject());
        String details = "  Details: http://localhost:8080/alerts#alert-s1";
        String feedback = "  Was this useful? http://localhost:8080/alerts/s1/feedback";
        assertEquals(List.of(
                "What changed in your areas since Tue. 3 Nov., 8 a.m.:",
                "",
                "- More paramedic calls for overdoses than usual in Moss Park since Mon. 2 Nov., 8 p.m.: 9 in 6 hours;"
                        + " usually about 1. Alert level: moderate.",
                details,
                feedback,
                "- The alert in Moss Park is now high: 14 paramedic calls for overdoses in 6 hours; usually about 1.",
                details,
                feedback,
                "- All-clear in Moss Park: paramedic calls for overdoses are back to usual levels. The alert opened"
                        + " on Tue. 3 Nov., 1 a.m. is closed.",
                details,
                feedback,
                "",
                "Don't use alone; carry naloxone. National Overdose Response Service: 1-888-688-6677.",
                "",
                "Details: http://localhost:8080/alerts",
                "",
                "The Lookout operator added this address to these alerts and manages them; ask the operator to change"
                        + " or stop them."), plainText(received[0]).lines().toList());
        assertNull(received[0].getHeader("List-Unsubscribe"));

        String html = (String) ((MimeMultipart) received[0].getContent()).getBodyPart(1).getContent();
        assertEquals(3, html.split("<li><p>", -1).length - 1, html);
        assertEquals(3, html.split("<p><a href=\"http://localhost:8080/alerts#alert-s1\">Details:"
                + " http://localhost:8080/alerts#alert-s1</a></p>", -1).length - 1, html);
        assertTrue(html.contains("<a href=\"http://localhost:8080/alerts/s1/feedback\">Was this useful?"
                + " http://localhost:8080/alerts/s1/feedback</a>"), html);

        Dispatcher restarted = dispatcher(EMAIL_DIGEST);
        restarted.sendDigests();
        at(WEDNESDAY_8AM.plus(Duration.ofDays(1)));
        restarted.sendDigests();
        assertEquals(1, MAIL.getReceivedMessages().length, "no duplicate after the restart, none on a quiet Wednesday");
        assertEquals(List.of("s1/opened/night-desk/email1:digest", "s1/worsened-high/night-desk/email1:digest",
                "s1/closed/night-desk/email1:digest", "digest/2026-11-04/night-desk/email1:delivered"), outcomes());

        take(restarted, Steps.opened("s2"));
        at(WEDNESDAY_8AM.plus(Duration.ofDays(2)));
        restarted.sendDigests();
        received = MAIL.getReceivedMessages();
        assertEquals(2, received.length);
        assertEquals("Lookout daily digest: 1 alert change in your areas", received[1].getSubject());
        assertEquals("What changed in your areas since Wed. 4 Nov., 8 a.m.:", plainText(received[1]).lines().findFirst()
                .orElseThrow(), "the quiet day's digest time did not start a new period: nothing was sent then");
        assertEquals(1, plainText(received[1]).lines().filter(l -> l.startsWith("- ")).count());
    }

    @Test
    void aDigestDueInQuietHoursIsHeldUntilTheyEndAndAFailedOneIsRetriedAndArrivesOnce() throws Exception {
        try (Receiver receiver = new Receiver(1, 503)) {
            Dispatcher d = dispatcher("{\"id\": \"team\", \"name\": \"Team\", \"channels\": [{\"webhook\": \""
                    + receiver.url("/hook") + "\"}], \"areas\": [\"073\"], \"immediate\": false,"
                    + " \"quiet_hours\": {\"from\": \"07:00\", \"to\": \"09:00\"}, \"min_severity\": \"high\"}");
            tuesdaysSpike(d);
            at(WEDNESDAY_8AM);
            d.sendDigests();
            assertEquals(0, receiver.requests().size());
            at(WEDNESDAY_8AM.plus(Duration.ofHours(1)));
            d.sendDigests();
            clock.advance(Duration.ofMillis(19));
            d.sendDigests();
            assertEquals(1, receiver.requests().size(), "the first attempt failed; the retry waits for the backoff");
            clock.advance(Duration.ofMillis(1));
            d.sendDigests();
            d.sendDigests();
            assertEquals(2, receiver.requests().size());
            assertEquals(List.of("s1/worsened-high/team/webhook1:digest", "s1/closed/team/webhook1:digest",
                    "digest/2026-11-04/team/webhook1:held:quiet_hours", "digest/2026-11-04/team/webhook1:held:http_503",
                    "digest/2026-11-04/team/webhook1:delivered"), outcomes());

            JsonNode digest = JSON.readTree(receiver.requests().get(1).body());
            assertEquals("digest", digest.get("step").asText());
            assertEquals("2026-11-04", digest.get("day").asText());
            assertEquals(2, digest.get("items").size(), "from the step at which it reached high");
            assertEquals("worsened", digest.get("items").get(0).get("step").asText());
            assertEquals("closed", digest.get("items").get(1).get("step").asText());
            assertEquals("Moss Park", digest.get("items").get(1).get("area_name").asText());
            assertEquals("http://localhost:8080/alerts#alert-s1", digest.get("items").get(0).get("link").asText());
            assertEquals("http://localhost:8080/alerts/s1/feedback", digest.get("items").get(0).get("feedback").asText());
            assertEquals("http://localhost:8080/alerts", digest.get("link").asText());
        }
    }

    /** A dashboard account's digest ends, like its alerts, with where to change or stop them. */
    @Test
    void aDashboardAccountsDigestSaysWhereToChangeOrStopItsAlertsInItsLanguage() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        managed.putForOwner("odile", JSON.readTree("""
                {"name": "odile", "language": "fr", "channels": [{"email": "odile@outreach.example.org"}],
                 "areas": ["073"], "immediate": false}"""));
        Dispatcher d = dispatcher("", managed);
        tuesdaysSpike(d);
        at(WEDNESDAY_8AM);
        d.sendDigests();

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertEquals(1, received.length);
        String details = "  Détails : http://localhost:8080/alerts#alert-s1";
        String feedback = "  Ce message vous a-t-il été utile ? http://localhost:8080/alerts/s1/feedback";
        assertEquals(List.of(
                "Ce qui a changé dans vos secteurs depuis le mar. 3 nov., 8 h :",
                "",
                "- Hausse inhabituelle à Moss Park depuis lun. 2 nov., 20 h (appels aux paramédics pour surdose) : 9"
                        + " en 6 heures ; habituellement environ 1. Niveau d'alerte : modéré.",
                details,
                feedback,
                "- L'alerte à Moss Park est maintenant de niveau élevé (appels aux paramédics pour surdose) : 14 en 6"
                        + " heures ; habituellement environ 1.",
                details,
                feedback,
                "- Fin d'alerte à Moss Park : retour à la normale (appels aux paramédics pour surdose). L'alerte"
                        + " ouverte le mar. 3 nov., 1 h est terminée.",
                details,
                feedback,
                "",
                "Ne consommez pas seul ; ayez de la naloxone. Service national d'intervention en cas de surdose :"
                        + " 1-888-688-6677.",
                "",
                "Détails : http://localhost:8080/alerts",
                "",
                "Modifier ou arrêter ces alertes : http://localhost:8080/notifications"),
                plainText(received[0]).lines().toList());
        assertArrayEquals(new String[] {"<http://localhost:8080/notifications>"},
                received[0].getHeader("List-Unsubscribe"));
        String html = (String) ((MimeMultipart) received[0].getContent()).getBodyPart(1).getContent();
        assertTrue(html.endsWith("<p><a href=\"http://localhost:8080/notifications\">Modifier ou arrêter ces alertes :"
                + " http://localhost:8080/notifications</a></p></body></html>"), html);
    }

    @Test
    void anSmsDigestIsOneSegmentInTheSubscribersLanguageWithoutFeedbackLinks() throws Exception {
        try (Receiver gateway = new Receiver()) {
            Path file = Files.writeString(dir.resolve("subscribers.json"), "{\"subscribers\": [{\"id\": \"rue\","
                    + " \"name\": \"Rue\", \"language\": \"fr\", \"channels\": [{\"sms\": \"+14165550100\"}],"
                    + " \"areas\": \"ALL\", \"immediate\": false}]}");
            store = NotifierStore.open(dir.resolve("store"), Assertions::fail);
            Dispatcher d = new Dispatcher(Subscriptions.open(file), store, Steps.messages(), Steps.NAMES,
                    Map.of(Channel.Kind.SMS, new SmsSender(new HttpSmsGateway(URI.create(gateway.url("/send")),
                            ""))), pool, clock, Steps.TORONTO, 5, Duration.ofMillis(20), 6, AreaNeighbours.NONE,
                    NotifierConfig.DEFAULT_DIGEST_TIME);
            tuesdaysSpike(d);
            at(WEDNESDAY_8AM);
            d.sendDigests();
            assertEquals(List.of("{\"to\":\"+14165550100\",\"text\":\"Résumé Lookout : 3 changements d'alerte dans vos"
                    + " secteurs depuis le mar. 3 nov., 8 h : http://localhost:8080/alerts\"}"),
                    gateway.requests().stream().map(Receiver.Request::body).toList());
        }
    }

    private static String plainText(MimeMessage m) throws Exception {
        MimeMultipart parts = (MimeMultipart) m.getContent();
        return ((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n").strip();
    }
}
