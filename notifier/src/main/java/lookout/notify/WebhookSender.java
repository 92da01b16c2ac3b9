package lookout.notify;

import java.net.URI;
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

    private final HttpPost http = new HttpPost();
    private final Messages messages;
    private final AreaNames areaNames;

    public WebhookSender(Messages messages, AreaNames areaNames) {
        this.messages = messages;
        this.areaNames = areaNames;
    }

    @Override
    public void send(Channel channel, Message message, AlertStep step, Subscriber subscriber) throws DeliveryFailure {
        http.json(URI.create(channel.address()), payload(channel.webhookKind(), message, step, subscriber.language()),
                null);
    }

    String payload(Channel.WebhookKind kind, Message m, AlertStep step, String language) {
        ObjectNode o = switch (kind) {
            case GENERIC -> generic(m, step, language);
            case SLACK -> JSON.createObjectNode().put("text", m.headline() + "\n" + m.body() + "\n" + m.footer()
                    + "\n" + m.link());
            case TEAMS -> teams(m, language);
        };
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private ObjectNode generic(Message m, AlertStep step, String language) {
        ObjectNode o = JSON.createObjectNode();
        o.put("spike_id", step.spikeId());
        o.put("step", step.kind().code());
        o.put("severity", step.severity().code());
        o.put("area_id", step.areaId());
        o.put("area_name", areaNames.name(step.areaId()));
        o.put("signal", step.signal());
        if (step.observed() == null) {
            o.putNull("observed");
        } else {
            o.put("observed", step.observed());
        }
        o.put("expected", step.expected());
        o.put("window_start", Instant.ofEpochMilli(step.windowStart()).toString());
        o.put("window_end", Instant.ofEpochMilli(step.windowEnd()).toString());
        o.put("language", language);
        o.put("headline", m.headline());
        o.put("text", m.body());
        o.put("footer", m.footer());
        o.put("link", m.link());
        return o;
    }

    private ObjectNode teams(Message m, String language) {
        ObjectNode card = JSON.createObjectNode();
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json");
        card.put("type", "AdaptiveCard");
        card.put("version", "1.4");
        ArrayNode body = card.putArray("body");
        body.addObject().put("type", "TextBlock").put("text", m.headline()).put("weight", "Bolder")
                .put("size", "Medium").put("wrap", true);
        body.addObject().put("type", "TextBlock").put("text", m.body()).put("wrap", true);
        body.addObject().put("type", "TextBlock").put("text", m.footer()).put("wrap", true).put("isSubtle", true);
        card.putArray("actions").addObject().put("type", "Action.OpenUrl")
                .put("title", messages.word(language, "teams.open")).put("url", m.link());
        ObjectNode message = JSON.createObjectNode();
        message.put("type", "message");
        ObjectNode attachment = message.putArray("attachments").addObject();
        attachment.put("contentType", "application/vnd.microsoft.card.adaptive");
        attachment.putNull("contentUrl");
        attachment.set("content", card);
        return message;
    }
}
