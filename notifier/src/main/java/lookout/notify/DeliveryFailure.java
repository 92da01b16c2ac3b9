package lookout.notify;

/**
 * A channel did not take a message. {@code reason} is a short code for the delivery log (never an address or a
 * server's free text); {@code retryable} failures are tried again with backoff, the others are final at once.
 */
public final class DeliveryFailure extends Exception {
    private final String reason;
    private final boolean retryable;

    public DeliveryFailure(String reason, boolean retryable) {
        super(reason, null, false, false);
        this.reason = reason;
        this.retryable = retryable;
    }

    public String reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }

    /** An HTTP answer that is not 2xx: 408, 429 and 5xx may pass, other 4xx will not. */
    static DeliveryFailure httpStatus(int status) {
        return new DeliveryFailure("http_" + status, status == 408 || status == 429 || status >= 500);
    }
}
