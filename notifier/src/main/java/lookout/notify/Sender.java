package lookout.notify;

/** Hands one message to one channel of one kind. Implementations are safe for concurrent use. */
public interface Sender {
    void send(Channel channel, Message message, AlertStep step, Subscriber subscriber) throws DeliveryFailure;
}
