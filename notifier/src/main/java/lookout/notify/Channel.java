package lookout.notify;

/**
 * One address of a subscriber. {@code id} names it in the delivery log instead of the address: the subscriber's
 * id, a slash, the kind and its ordinal among the subscriber's channels of that kind ({@code outreach-east/email1}).
 *
 * @param webhookKind how a webhook's payload is shaped; null for email and SMS
 */
public record Channel(String id, Kind kind, String address, WebhookKind webhookKind) {
    public enum Kind {
        EMAIL, WEBHOOK, SMS;

        String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The payloads a webhook receiver understands. */
    public enum WebhookKind {
        /** Lookout's own JSON object (README, "Webhook payloads"). */
        GENERIC,
        /** Slack and Mattermost incoming webhooks: {@code {"text": ...}}. */
        SLACK,
        /** A Microsoft Teams Workflows webhook: an Adaptive Card in a message. */
        TEAMS
    }

    /** Never the address: a channel's text is its id, so that a stray log line cannot carry contact details. */
    @Override
    public String toString() {
        return id;
    }
}
