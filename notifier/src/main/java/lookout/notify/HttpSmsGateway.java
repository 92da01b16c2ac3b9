package lookout.notify;

import java.net.URI;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The generic HTTP SMS provider: {@code POST URL} with {@code {"to": "+1416...", "text": "..."}} and, if a token
 * is configured, {@code Authorization: Bearer TOKEN}; any 2xx is accepted.
 */
public final class HttpSmsGateway implements SmsGateway {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpPost http = new HttpPost(HttpPost.EXCHANGE_TIMEOUT);
    private final URI url;
    private final String token;

    public HttpSmsGateway(URI url, String token) {
        this.url = url;
        this.token = token;
    }

    @Override
    public void send(String to, String text) throws DeliveryFailure {
        try {
            http.json(url, JSON.writeValueAsString(JSON.createObjectNode().put("to", to).put("text", text)), token);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
