package lookout.notify;

/** SMS: the message's one-segment text through the configured gateway. */
public final class SmsSender implements Sender {
    private final SmsGateway gateway;

    public SmsSender(SmsGateway gateway) {
        this.gateway = gateway;
    }

    @Override
    public void send(Channel channel, Message message, AlertStep step, Subscriber subscriber) throws DeliveryFailure {
        gateway.send(channel.address(), message.sms());
    }
}
