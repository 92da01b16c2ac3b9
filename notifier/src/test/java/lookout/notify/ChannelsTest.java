package lookout.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
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

    private static Subscriber subscriber(String language, Channel channel) {
        return new Subscriber("outreach", "Outreach", language, List.of(channel), Set.of(), Set.of(), Severity.LOW,
                true, null);
    }

    @Test
    void emailArrivesWithPlainTextAndHtmlInTheSubscribersLanguage() throws Exception {
        EmailSender email = new EmailSender("127.0.0.1", MAIL.getSmtp().getPort(), "lookout@example.org", "", "", messages);
        Channel to = new Channel("outreach/email1", Channel.Kind.EMAIL, "lead@example.org", null);
        Message m = messages.compose(opened, "Moss Park", "fr");
        email.send(to, m, opened, subscriber("fr", to));

        MimeMessage[] received = MAIL.getReceivedMessages();
        assertEquals(1, received.length);
        assertEquals("Alerte Lookout à Moss Park : hausse des appels aux paramédics pour surdose",
                received[0].getSubject());
        assertEquals("lead@example.org", received[0].getAllRecipients()[0].toString());
        MimeMultipart parts = (MimeMultipart) received[0].getContent();
        assertEquals(2, parts.getCount());
        assertEquals(m.body() + "\r\n\r\n" + m.footer() + "\r\n\r\nDétails : http://localhost:8080/alerts"
                + "\r\n\r\nCe message vous a-t-il été utile ? http://localhost:8080/alerts/" + opened.spikeId() + "/feedback",
                ((String) parts.getBodyPart(0).getContent()).strip());
        assertTrue(parts.getBodyPart(1).isMimeType("text/html"));
        String html = (String) parts.getBodyPart(1).getContent();
        assertTrue(html.contains("<p>Hausse inhabituelle à Moss Park depuis lun. 2 nov., 20 h"), html);
        assertTrue(html.contains("<a href=\"http://localhost:8080/alerts\">Détails : http://localhost:8080/alerts</a>"), html);
        assertTrue(GreenMailUtil.getWholeMessage(received[0]).contains("Content-Type: multipart/alternative"));
    }

    @Test
    void anSmtpServerThatIsNotThereIsARetryableFailure() {
        EmailSender email = new EmailSender("127.0.0.1", 9, "lookout@example.org", "", "", messages);
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
            assertEquals("http://localhost:8080/alerts", generic.path("link").asText());
            assertEquals(FEEDBACK, generic.path("feedback").asText());

            JsonNode slack = JSON.readTree(got.get(1).body());
            assertEquals(List.of("text"), iterable(slack.fieldNames()));
            assertEquals("More paramedic calls for overdoses than usual in Moss Park\n"
                    + messages.compose(opened, "Moss Park", "en").body() + "\n"
                    + "Don't use alone; carry naloxone. National Overdose Response Service: 1-888-688-6677.\n"
                    + "http://localhost:8080/alerts\nWas this useful? " + FEEDBACK, slack.path("text").asText());

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
            assertEquals("http://localhost:8080/alerts", card.path("actions").get(0).path("url").asText());
            assertEquals("Was this useful?", card.path("actions").get(1).path("title").asText());
            assertEquals(FEEDBACK, card.path("actions").get(1).path("url").asText());
        }
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

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> list = new java.util.ArrayList<>();
        it.forEachRemaining(list::add);
        return list;
    }
}
