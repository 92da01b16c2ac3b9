package lookout.notify;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

/** A JSON POST with the JDK client, its outcome told as a {@link DeliveryFailure} reason code. */
final class HttpPost {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    void json(URI uri, String body, String bearerToken) throws DeliveryFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null && !bearerToken.isEmpty()) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        int status;
        try {
            status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (HttpTimeoutException e) {
            throw new DeliveryFailure("timeout", true);
        } catch (IOException e) {
            throw new DeliveryFailure("connection_failed", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", true);
        }
        if (status / 100 != 2) {
            throw DeliveryFailure.httpStatus(status);
        }
    }
}
