package lookout.notify;

/**
 * One line of the delivery log: what became of one step's message to one channel. It names the channel by id,
 * never by address, so the log can be kept and shown to operators.
 *
 * @param key      the idempotency key ({@link AlertStep#deliveryKey})
 * @param outcome  see {@link Outcome}
 * @param reason   why it was not delivered (a reason code), or null
 * @param attempts sending attempts made
 * @param at       epoch ms when the outcome was recorded
 * @param until    for {@link Outcome#HELD}: epoch ms when it may be sent; else 0
 */
public record Delivery(String key, String spikeId, String step, String channel, Outcome outcome, String reason,
        int attempts, long at, long until) {

    public enum Outcome {
        /** Accepted by the SMTP server, the webhook or the SMS gateway. */
        DELIVERED(true),
        /** Given up: a permanent refusal, or retries exhausted; {@code reason} says which. */
        UNDELIVERABLE(true),
        /** Held for quiet hours or the rate limit; sent, merged or dropped when {@code until} comes. */
        HELD(false),
        /** Not sent because a later step of the same alert was held for the same channel and sent instead. */
        MERGED(true),
        /** Kept for the subscriber's daily digest (the subscriber is not immediate). */
        DIGEST(true);

        private final boolean last;

        Outcome(boolean last) {
            this.last = last;
        }

        /** Whether this outcome ends the key's story: a replayed step does not send it again. */
        public boolean isFinal() {
            return last;
        }

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
