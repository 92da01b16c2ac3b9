package lookout.notify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** A JSON POST with the JDK client, its outcome told as a {@link DeliveryFailure} reason code. */
final class HttpPost {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The longest a whole exchange may take, the response's body included. */
    static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Duration timeout;

    HttpPost(Duration timeout) {
        this.timeout = timeout;
    }

    void json(URI uri, String body, String bearerToken) throws DeliveryFailure {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null && !bearerToken.isEmpty()) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        int status = exchange(request.build());
        if (status / 100 != 2) {
            throw DeliveryFailure.httpStatus(status);
        }
    }

    /**
     * The response's status, its body discarded. The request's own timeout covers only the response's headers: a
     * receiver that sends them and then stalls would hold the sending thread, and with it every other channel's
     * step, for ever; so the whole exchange has a deadline, and an exchange past it is cancelled.
     */
    private int exchange(HttpRequest request) throws DeliveryFailure {
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request,
                HttpResponse.BodyHandlers.discarding());
        try {
            return response.get(timeout.toMillis(), TimeUnit.MILLISECONDS).statusCode();
        } catch (TimeoutException e) {
            response.cancel(true);
            throw new DeliveryFailure("timeout", true);
        } catch (ExecutionException e) {
            throw new DeliveryFailure(e.getCause() instanceof HttpTimeoutException ? "timeout" : "connection_failed",
                    true);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new DeliveryFailure("interrupted", true);
        }
    }
}
