package lookout.notify;

/**
 * SMS: the message's one-segment text through the configured gateway. It carries the link to the alert page but
 * not the "was this useful?" link: both do not fit one segment with the message.
 */
public final class SmsSender implements Sender {
    private final SmsGateway gateway;

    public SmsSender(SmsGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void send(Channel channel, Message message, AlertStep step, Subscriber subscriber) throws DeliveryFailure {
        gateway.send(channel.address(), message.sms());
    }

    @Override
    public void sendDigest(Channel channel, Digest digest, Subscriber subscriber) throws DeliveryFailure {
        gateway.send(channel.address(), digest.sms());
    }
}
