package lookout.notify;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Webhooks: Lookout's own JSON ({@link Channel.WebhookKind#GENERIC}), Slack/Mattermost's {@code {"text": ...}},
 * or an Adaptive Card for a Microsoft Teams Workflows webhook (Teams' old connectors are retired).
 */
public final class WebhookSender implements Sender {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpPost http;
    private final Messages messages;
    private final AreaNames areaNames;

    public WebhookSender(Messages messages, AreaNames areaNames) {
        this(messages, areaNames, HttpPost.EXCHANGE_TIMEOUT);
    }

    /** @param timeout the longest one exchange with a receiver may take, its response's body included */
    WebhookSender(Messages messages, AreaNames areaNames, Duration timeout) {
        this.http = new HttpPost(timeout);
        this.messages = messages;
        this.areaNames = areaNames;
    }

    @Override
    public void send(Channel channel, Message message, AlertStep step, Subscriber subscriber) throws DeliveryFailure {
        http.json(URI.create(channel.address()), payload(channel.webhookKind(), message, step, subscriber.language()),
                null);
    }

    @Override
    public void sendDigest(Channel channel, Digest digest, Subscriber subscriber) throws DeliveryFailure {
        http.json(URI.create(channel.address()), payload(channel.webhookKind(), digest, subscriber.language()), null);
    }

    String payload(Channel.WebhookKind kind, Message m, AlertStep step, String language) {
        return write(switch (kind) {
            case GENERIC -> generic(m, step, language);
            case SLACK -> JSON.createObjectNode().put("text", m.headline() + "\n" + m.body() + "\n" + m.footer()
                    + "\n" + m.link() + "\n" + messages.feedback(language, step.spikeId()));
            case TEAMS -> teams(m, step, language);
        });
    }

    String payload(Channel.WebhookKind kind, Digest d, String language) {
        return write(switch (kind) {
            case GENERIC -> generic(d, language);
            case SLACK -> JSON.createObjectNode().put("text", d.text(d.link()));
            case TEAMS -> teams(d, language);
        });
    }

    private static String write(ObjectNode o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode generic(Message m, AlertStep step, String language) {
        ObjectNode o = JSON.createObjectNode();
        stepFields(o, step, areaNames.name(step.areaId()));
        o.put("language", language);
        o.put("headline", m.headline());
        o.put("text", m.body());
        o.put("footer", m.footer());
        o.put("link", m.link());
        o.put("feedback", messages.feedbackLink(step.spikeId()));
        return o;
    }

    /**
     * {"step": "digest", "day", "language", "headline", "items": [the step's fields, "text", "link", "feedback"],
     * ...}.
     */
    private ObjectNode generic(Digest d, String language) {
        ObjectNode o = JSON.createObjectNode();
        o.put("step", Digest.STEP);
        o.put("day", d.day().toString());
        o.put("language", language);
        o.put("headline", d.headline());
        ArrayNode items = o.putArray("items");
        for (Digest.Item i : d.items()) {
            ObjectNode item = items.addObject();
            stepFields(item, i.step(), i.areaName());
            item.put("text", i.text());
            item.put("link", i.link());
            item.put("feedback", i.feedbackLink());
        }
        o.put("footer", d.footer());
        o.put("link", d.link());
        return o;
    }

    private static void stepFields(ObjectNode o, AlertStep step, String areaName) {
        o.put("spike_id", step.spikeId());
        o.put("step", step.kind().wording());
        o.put("severity", step.severity().code());
        o.put("area_id", step.areaId());
        o.put("area_name", areaName);
        o.put("signal", step.signal());
        if (step.observed() == null) {
            o.putNull("observed");
        } else {
            o.put("observed", step.observed());
        }
        if (Double.isNaN(step.expected())) {
            o.putNull("expected");
        } else {
            o.put("expected", step.expected());
        }
        o.put("window_start", Instant.ofEpochMilli(step.windowStart()).toString());
        o.put("window_end", Instant.ofEpochMilli(step.windowEnd()).toString());
    }

    private ObjectNode teams(Message m, AlertStep step, String language) {
        ObjectNode card = card(m.headline());
        ArrayNode body = (ArrayNode) card.get("body");
        body.addObject().put("type", "TextBlock").put("text", m.body()).put("wrap", true);
        body.addObject().put("type", "TextBlock").put("text", m.footer()).put("wrap", true).put("isSubtle", true);
        ArrayNode actions = card.putArray("actions");
        actions.addObject().put("type", "Action.OpenUrl")
                .put("title", messages.word(language, "teams.open")).put("url", m.link());
        actions.addObject().put("type", "Action.OpenUrl")
                .put("title", messages.word(language, "teams.feedback")).put("url", messages.feedbackLink(step.spikeId()));
        return message(card);
    }

    /**
     * One TextBlock per change, each ending with the links to its alert and its "was this useful?" (Markdown, which
     * cards render).
     */
    private ObjectNode teams(Digest d, String language) {
        ObjectNode card = card(d.headline());
        ArrayNode body = (ArrayNode) card.get("body");
        for (Digest.Item i : d.items()) {
            body.addObject().put("type", "TextBlock").put("wrap", true).put("text", i.text()
                    + " [" + messages.word(language, "teams.open") + "](" + i.link() + ")"
                    + " [" + messages.word(language, "teams.feedback") + "](" + i.feedbackLink() + ")");
        }
        body.addObject().put("type", "TextBlock").put("text", d.footer()).put("wrap", true).put("isSubtle", true);
        card.putArray("actions").addObject().put("type", "Action.OpenUrl")
                .put("title", messages.word(language, "teams.open")).put("url", d.link());
        return message(card);
    }

    private static ObjectNode card(String headline) {
        ObjectNode card = JSON.createObjectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        card.putArray("body").addObject().put("type", "TextBlock").put("text", headline).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true);
        return card;
    }

    private static ObjectNode message(ObjectNode card) {
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }
}
