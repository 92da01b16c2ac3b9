package lookout.notify;

/**
 * An SMS provider's send API. The built-in {@link HttpSmsGateway} posts JSON to a configured URL; a provider with
 * another API gets its own implementation of this one method.
 */
public interface SmsGateway {
    /** Sends one segment's text to a number in international form. */
    void send(String to, String text) throws DeliveryFailure;
}
