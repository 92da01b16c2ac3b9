package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import lookout.kernel.Severity;

/** Each channel against a real server on loopback: GreenMail's SMTP, the JDK's HTTP server. */
class ChannelsTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(ServerSetupTest.SMTP);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Messages messages = Steps.messages();
    private final AlertStep opened = Steps.opened("0f1e2d3c-0000-4000-8000-000000000001");
    /** The same link for every recipient of this alert's messages. */
    private static final String FEEDBACK = "http://localhost:8080/alerts/0f1e2d3c-0000-4000-8000-000000000001/feedback";
    /** The alert's card on the dashboards' alert page. */
    private static final String ALERT = "http://localhost:8080/alerts#alert-0f1e2d3c-0000-4000-8000-000000000001";

    @TempDir
    Path dir;

    private static Subscriber subscriber(String language, Channel channel) {
        return new Subscriber("outreach", "Outreach", language, List.of(channel), Set.of(), Set.of(), Severity.LOW,
                true, null);
    }

    /** A subscriber of the operator's file: the email links to its alert and says the operator added the address. */
    @Test
    void emailArrivesWithPlainTextAndHtmlInTheSubscribersLanguage() throws Exception {
        EmailSender email = new EmailSender("127.0.0.1", MAIL.getSmtp().getPort(), "lookout@example.org", "", "",
                messages, id -> false);
        Channel to = new Channel("outreach/email1", Channel.Kind.EMAIL, "lead@example.org", null);
        Message m = messages.compose(opened, "Moss Park", "fr");
        email.send(to, m, opened, subscriber("fr", to));

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("Alerte Lookout de niveau modéré à Moss Park : hausse des appels aux paramédics pour surdose",
                received[0].getSubject());
        assertEquals("lead@example.org", received[0].getAllRecipients()[0].toString());
        MimeMultipart parts = (MimeMultipart) received[0].getContent();
        assertEquals(2, parts.getCount());
        assertEquals(m.body() + "\r\n\r\n" + m.footer() + "\r\n\r\nDétails : " + ALERT
                + "\r\n\r\nCe message vous a-t-il été utile ? " + FEEDBACK
                + "\r\n\r\nL'opérateur de Lookout a inscrit cette adresse à ces alertes et les gère ; demandez-lui de"
                + " les modifier ou de les arrêter.", ((String) parts.getBodyPart(0).getContent()).strip());
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(html.contains("<p>Hausse inhabituelle à Moss Park depuis lun. 2 nov., 20 h"), html);
        assertTrue(html.contains("<p><a href=\"" + ALERT + "\">Détails : " + ALERT + "</a></p>"), html);
        assertTrue(html.endsWith("<p>L'opérateur de Lookout a inscrit cette adresse à ces alertes et les gère ;"
                + " demandez-lui de les modifier ou de les arrêter.</p></body></html>"), html);
        assertNull(received[0].getHeader("List-Unsubscribe"), "the operator's file has no page to unsubscribe on");
        assertTrue(GreenMailUtil.getWholeMessage(received[0]).contains("Content-Type: multipart/alternative"));
    }

    /**
     * A dashboard account's subscriber (the store's, with an owner) is told where to change or stop its alerts, in
     * its language, and mail programs get the same page as List-Unsubscribe.
     */
    @Test
    void aDashboardAccountsEmailSaysWhereToChangeOrStopItsAlerts() throws Exception {
        ManagedSubscribers managed = ManagedSubscribers.open(dir.resolve("store"));
        EmailSender email = new EmailSender("127.0.0.1", MAIL.getSmtp().getPort(), "lookout@example.org", "", "",
                messages, managed::keptByAccount);
        for (String[] ownerLanguage : new String[][] {{"otto", "en"}, {"odile", "fr"}}) {
            Subscriber s = managed.putForOwner(ownerLanguage[0], JSON.readTree("{\"name\": \"" + ownerLanguage[0]
                    + "\", \"language\": \"" + ownerLanguage[1] + "\", \"channels\": [{\"email\": \""
                    + ownerLanguage[0] + "@outreach.example.org\"}], \"areas\": [\"073\"]}"));
            email.send(s.channels().get(0), messages.compose(opened, "Moss Park", s.language()), opened, s);
        }

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertEquals(2, received.length);
        Message en = messages.compose(opened, "Moss Park", "en");
        assertEquals(en.body() + "\n\n" + en.footer() + "\n\nDetails: " + ALERT + "\n\nWas this useful? " + FEEDBACK
                + "\n\nChange or stop these alerts: http://localhost:8080/notifications", plainText(received[0]));
        assertArrayEquals(new String[] {"<http://localhost:8080/notifications>"},
                received[0].getHeader("List-Unsubscribe"));
        String html = (String) ((MimeMultipart) received[0].getContent()).getBodyPart(1).getContent();
        assertTrue(html.endsWith("<p><a href=\"http://localhost:8080/notifications\">Change or stop these alerts:"
                + " http://localhost:8080/notifications</a></p></body></html>"), html);

        Message fr = messages.compose(opened, "Moss Park", "fr");
        assertEquals(fr.body() + "\n\n" + fr.footer() + "\n\nDétails : " + ALERT
                + "\n\nCe message vous a-t-il été utile ? " + FEEDBACK
                + "\n\nModifier ou arrêter ces alertes : http://localhost:8080/notifications",
                plainText(received[1]));
        assertArrayEquals(new String[] {"<http://localhost:8080/notifications>"},
                received[1].getHeader("List-Unsubscribe"));
    }

    @Test
    void anSmtpServerThatIsNotThereIsARetryableFailure() {
        EmailSender email = new EmailSender("127.0.0.1", 9, "lookout@example.org", "", "", messages, id -> false);
        Channel to = new Channel("outreach/email1", Channel.Kind.EMAIL, "lead@example.org", null);
        DeliveryFailure f = assertThrows(DeliveryFailure.class,
                () -> email.send(to, messages.compose(opened, "Moss Park", "en"), opened, subscriber("en", to)));
        assertEquals("smtp_failed", f.reason());
        assertTrue(f.retryable());
    }

    @Test
    void webhooksGetGenericJsonSlackTextAndATeamsAdaptiveCard() throws Exception {
        try (Receiver receiver = new Receiver()) {
            WebhookSender webhooks = new WebhookSender(messages, Steps.NAMES);
            for (Channel.WebhookKind kind : Channel.WebhookKind.values()) {
                Channel c = new Channel("outreach/webhook1", Channel.Kind.WEBHOOK, receiver.url("/" + kind), kind);
                webhooks.send(c, messages.compose(opened, "Moss Park", "en"), opened, subscriber("en", c));
            }
            List<Receiver.Request> got = receiver.requests();
            assertEquals(3, got.size());
            assertEquals("application/json; charset=utf-8", got.get(0).contentType());

            JsonNode generic = JSON.readTree(got.get(0).body());
            assertEquals("/GENERIC", got.get(0).path());
            assertEquals("0f1e2d3c-0000-4000-8000-000000000001", generic.path("spike_id").asText());
            assertEquals("opened", generic.path("step").asText());
            assertEquals("moderate", generic.path("severity").asText());
            assertEquals("073", generic.path("area_id").asText());
            assertEquals("Moss Park", generic.path("area_name").asText());
            assertEquals(9, generic.path("observed").asInt());
            assertEquals(1.2, generic.path("expected").asDouble());
            assertEquals("2026-11-03T01:00:00Z", generic.path("window_start").asText());
            assertEquals("2026-11-03T07:00:00Z", generic.path("window_end").asText());
            assertEquals(ALERT, generic.path("link").asText());
            assertEquals(FEEDBACK, generic.path("feedback").asText());

            JsonNode slack = JSON.readTree(got.get(1).body());
            assertEquals(List.of("text"), iterable(slack.fieldNames()));
            assertEquals("More paramedic calls for overdoses than usual in Moss Park\n"
                    + messages.compose(opened, "Moss Park", "en").body() + "\n"
                    + "Don't use alone; carry naloxone. National Overdose Response Service: 1-888-688-6677.\n"
                    + ALERT + "\nWas this useful? " + FEEDBACK, slack.path("text").asText());

            JsonNode teams = JSON.readTree(got.get(2).body());
            assertEquals("message", teams.path("type").asText());
            JsonNode attachment = teams.path("attachments").get(0);
            assertEquals("application/vnd.microsoft.card.adaptive", attachment.path("contentType").asText());
            JsonNode card = attachment.path("content");
            assertEquals("AdaptiveCard", card.path("type").asText());
            assertEquals("More paramedic calls for overdoses than usual in Moss Park",
                    card.path("body").get(0).path("text").asText());
            assertEquals("Action.OpenUrl", card.path("actions").get(0).path("type").asText());
            assertEquals("Open the alert", card.path("actions").get(0).path("title").asText());
            assertEquals(ALERT, card.path("actions").get(0).path("url").asText());
            assertEquals("Was this useful?", card.path("actions").get(1).path("title").asText());
            assertEquals(FEEDBACK, card.path("actions").get(1).path("url").asText());
        }
    }

    /** A digest's webhook links each change to its alert, and the digest as a whole to the alert page. */
    @Test
    void aDigestsWebhooksLinkEachChangeToItsAlert() throws Exception {
        WebhookSender webhooks = new WebhookSender(messages, Steps.NAMES);
        Digest d = messages.digest(LocalDate.of(2026, 11, 4), List.of(opened), area -> "Moss Park", "en",
                Steps.WINDOW_START, s -> false);
        JsonNode generic = JSON.readTree(webhooks.payload(Channel.WebhookKind.GENERIC, d, "en"));
        assertEquals(ALERT, generic.path("items").get(0).path("link").asText());
        assertEquals("http://localhost:8080/alerts", generic.path("link").asText());
        String slack = JSON.readTree(webhooks.payload(Channel.WebhookKind.SLACK, d, "en")).path("text").asText();
        assertEquals(List.of("What changed in your areas since Mon. 2 Nov., 8 p.m.:", "",
                "- " + d.items().get(0).text(), "  Details: " + ALERT, "  Was this useful? " + FEEDBACK, "",
                d.footer(), "", "http://localhost:8080/alerts"), slack.lines().toList());
        JsonNode card = JSON.readTree(webhooks.payload(Channel.WebhookKind.TEAMS, d, "en")).path("attachments").get(0)
                .path("content");
        assertEquals(d.items().get(0).text() + " [Open the alert](" + ALERT + ") [Was this useful?](" + FEEDBACK + ")",
                card.path("body").get(1).path("text").asText());
    }

    @Test
    void aWebhookAnswerTellsWhetherToRetry() throws Exception {
        WebhookSender webhooks = new WebhookSender(messages, Steps.NAMES);
        for (int[] statusRetryable : new int[][] {{500, 1}, {503, 1}, {429, 1}, {404, 0}, {410, 0}}) {
            try (Receiver receiver = new Receiver(1, statusRetryable[0])) {
                Channel c = new Channel("x/webhook1", Channel.Kind.WEBHOOK, receiver.url("/"), Channel.WebhookKind.GENERIC);
                DeliveryFailure f = assertThrows(DeliveryFailure.class,
                        () -> webhooks.send(c, messages.compose(opened, "Moss Park", "en"), opened, subscriber("en", c)));
                assertEquals("http_" + statusRetryable[0], f.reason());
                assertEquals(statusRetryable[1] == 1, f.retryable());
            }
        }
    }

    @Test
    void theGenericSmsProviderPostsOneSegmentWithTheBearerToken() throws Exception {
        try (Receiver gateway = new Receiver()) {
            SmsSender sms = new SmsSender(new HttpSmsGateway(URI.create(gateway.url("/send")), "t0ken"));
            Channel c = new Channel("outreach/sms1", Channel.Kind.SMS, "+14165550100", null);
            Message m = messages.compose(opened, "Moss Park", "fr");
            sms.send(c, m, opened, subscriber("fr", c));
            Receiver.Request r = gateway.requests().get(0);
            assertEquals("/send", r.path());
            assertEquals("Bearer t0ken", r.authorization());
            JsonNode body = JSON.readTree(r.body());
            assertEquals("+14165550100", body.path("to").asText());
            assertEquals(m.sms(), body.path("text").asText());
            assertTrue(Gsm7.fitsOneSegment(body.path("text").asText()));
        }
    }

    private static String plainText(MimeMessage m) throws Exception {
        return ((String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent()).replace("\r\n", "\n").strip();
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
