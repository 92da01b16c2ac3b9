package lookout.notify;

/** Hands one message to one channel of one kind. Implementations are safe for concurrent use. */
public interface Sender {
    void send(Channel channel, Message message, AlertStep step, Subscriber subscriber) throws DeliveryFailure;

    /** Hands a daily digest to the channel; a sender that has no digest form refuses it for good. */
    default void sendDigest(Channel channel, Digest digest, Subscriber subscriber) throws DeliveryFailure {
        throw new DeliveryFailure("digest_not_supported", false);
    }
}
